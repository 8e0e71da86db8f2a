// A labelled heatmap: query labels down the left, key labels along the top, one shaded cell per value,
// with a viewport (origin and visible rows/columns) so a long matrix can be panned, and zoom levels.

/// The matrix a heatmap shows. `masked[r][c]` marks entries that could never be attended to, which
/// are drawn differently from entries that merely received little weight.
public struct HeatmapData: Sendable {
  public var values: [[Float]]
  public var masked: [[Bool]]
  public var rowLabels: [String]
  public var columnLabels: [String]

  public init(values: [[Float]], masked: [[Bool]]? = nil, rowLabels: [String], columnLabels: [String]) {
    self.values = values
    self.masked = masked ?? values.map { $0.map { _ in false } }
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
  }

  /// Entry lookups that tolerate ragged or short matrices: missing entries count as masked.
  func value(_ row: Int, _ column: Int) -> Float? {
    values.indices.contains(row) && values[row].indices.contains(column) ? values[row][column] : nil
  }

  func isMasked(_ row: Int, _ column: Int) -> Bool {
    guard masked.indices.contains(row), masked[row].indices.contains(column) else {
      return value(row, column) == nil
    }
    return masked[row][column]
  }
}

public struct HeatmapWidget {
  public var data: HeatmapData
  public var depth: ColorDepth
  public var colorMap: ColorMap = .viridis
  public var glyphs: Glyphs = .unicode
  /// Columns per matrix cell; `zoom(by:)` steps through `zoomLevels`.
  public var cellWidth = 3
  /// Rows per matrix row (a small matrix blown up to fill the window); labels sit on the middle one.
  public var cellHeight = 1
  /// The selected entry, in matrix coordinates (not relative to the viewport).
  public var cursor: (row: Int, column: Int)?
  /// Values mapped to the ends of the colour map.
  public var range: ClosedRange<Float> = 0...1
  public var columnLabelStyle: ColumnLabelStyle = .vertical
  /// Lines the column labels may take (the index row of `.automatic` counts as one).
  public var maxHeaderHeight = 10
  public var maxRowLabelWidth = 14
  /// The matrix entry drawn at the top-left of the viewport.
  public var origin: (row: Int, column: Int) = (0, 0)
  /// How many rows and columns are drawn from `origin`; nil: all the rest.
  public var visibleRows: Int?
  public var visibleColumns: Int?

  /// Cell widths from a dot per token (300-token inputs) to room for a bracketed cursor and more.
  public static let zoomLevels = [1, 2, 3, 5]

  public init(data: HeatmapData, depth: ColorDepth) {
    self.data = data
    self.depth = depth
  }

  /// Width of the row-label column, bounded so long tokens do not squeeze the matrix.
  public var rowLabelWidth: Int {
    min(maxRowLabelWidth, (data.rowLabels.map { TerminalText.columns(of: $0) }.max() ?? 0)) + 1
  }
  /// Height of the column-label header, the same for every viewport so panning never shifts rows.
  public var headerHeight: Int { header.height }

  var header: ColumnHeader {
    ColumnHeader(
      style: columnLabelStyle, labels: data.columnLabels, cellWidth: cellWidth, maxHeight: maxHeaderHeight)
  }

  /// The matrix rows and columns inside the viewport.
  public var rowRange: Range<Int> {
    Self.window(count: data.rowLabels.count, start: origin.row, length: visibleRows)
  }
  public var columnRange: Range<Int> {
    Self.window(count: data.columnLabels.count, start: origin.column, length: visibleColumns)
  }

  /// Cells the heatmap needs for its current viewport.
  public var size: (width: Int, height: Int) {
    (rowLabelWidth + columnRange.count * cellWidth, headerHeight + rowRange.count * max(1, cellHeight))
  }

  /// Which matrix entry (row, column) is at canvas position (x, y) relative to the widget's origin.
  public func entry(atX x: Int, y: Int) -> (row: Int, column: Int)? {
    let (row, column) = ((y - headerHeight) / max(1, cellHeight), (x - rowLabelWidth) / max(1, cellWidth))
    guard x >= rowLabelWidth, y >= headerHeight, row < rowRange.count, column < columnRange.count else {
      return nil
    }
    return (rowRange.lowerBound + row, columnRange.lowerBound + column)
  }

  public func draw(into canvas: inout Canvas, x: Int, y: Int) {
    let (rows, columns) = (rowRange, columnRange)
    // Measured once: a computed property per cell measured every label for every cell.
    let rowLabelWidth = self.rowLabelWidth
    header.draw(
      labels: data.columnLabels, columns: columns, cellWidth: cellWidth, cursor: cursor?.column,
      glyphs: glyphs, into: &canvas, x: x + rowLabelWidth, y: y)
    let height = max(1, cellHeight)
    for row in rows {
      let top = y + headerHeight + (row - rows.lowerBound) * height
      let middle = top + (height - 1) / 2
      canvas.put(
        Heatmap.fitted(data.rowLabels[row], rowLabelWidth - 1, ellipsis: glyphs.ellipsis), x: x, y: middle,
        attributes: cursor?.row == row ? [.bold, .reverse] : [])
      for column in columns {
        let left = x + rowLabelWidth + (column - columns.lowerBound) * cellWidth
        let cell = self.cell(row: row, column: column)
        for line in top..<(top + height) {
          for offset in 0..<cellWidth { canvas[left + offset, line] = cell }
        }
        if cursor?.row == row, cursor?.column == column, cellWidth >= 3 {
          canvas[left, middle].character = "["
          canvas[left + cellWidth - 1, middle].character = "]"
        }
      }
    }
  }

  /// The cell for one entry at this widget's colour depth.
  public func cell(row: Int, column: Int) -> Cell {
    guard !data.isMasked(row, column), let value = data.value(row, column) else {
      return Heatmap.maskedCell(depth: depth, glyphs: glyphs)
    }
    return Heatmap.shadedCell(
      ValueRange.position(of: value, in: range), colorMap: colorMap, depth: depth, glyphs: glyphs)
  }

  // MARK: Viewport, zoom and scale

  /// Shows signed values (raw scores, positional encodings) on the diverging map, centred on zero.
  public mutating func useDivergingScale() {
    colorMap = .diverging
    range = ValueRange.symmetric(data.values)
  }

  /// Steps through `zoomLevels` (positive: wider cells), from the nearest level to the current width.
  public mutating func zoom(by steps: Int) {
    let levels = Self.zoomLevels
    let current = levels.indices.min { abs(levels[$0] - cellWidth) < abs(levels[$1] - cellWidth) } ?? 0
    cellWidth = levels[min(levels.count - 1, max(0, current + steps))]
  }

  /// Limits the viewport to what fits in `width` × `height` cells (labels included).
  public mutating func fit(width: Int, height: Int) {
    visibleColumns = max(0, (width - rowLabelWidth) / max(1, cellWidth))
    visibleRows = max(0, height - headerHeight)
    origin = (
      Viewport.clamped(start: origin.row, count: data.rowLabels.count, visible: visibleRows ?? 0),
      Viewport.clamped(start: origin.column, count: data.columnLabels.count, visible: visibleColumns ?? 0)
    )
  }

  /// Moves the viewport by whole rows and columns, stopping at the matrix's edges.
  public mutating func pan(rows: Int = 0, columns: Int = 0) {
    origin = (
      Viewport.clamped(
        start: origin.row + rows, count: data.rowLabels.count, visible: visibleRows ?? data.rowLabels.count),
      Viewport.clamped(
        start: origin.column + columns, count: data.columnLabels.count,
        visible: visibleColumns ?? data.columnLabels.count)
    )
  }

  /// Moves the viewport as little as possible so that the cursor is inside it.
  public mutating func scrollToCursor() {
    guard let cursor else { return }
    origin = (
      Viewport.following(
        start: origin.row, count: data.rowLabels.count, visible: visibleRows ?? data.rowLabels.count,
        focus: cursor.row),
      Viewport.following(
        start: origin.column, count: data.columnLabels.count,
        visible: visibleColumns ?? data.columnLabels.count, focus: cursor.column)
    )
  }

  static func window(count: Int, start: Int, length: Int?) -> Range<Int> {
    let first = min(max(0, start), count)
    return first..<min(count, first + max(0, length ?? count))
  }
}
