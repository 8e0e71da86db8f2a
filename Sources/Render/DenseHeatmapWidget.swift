// A label-free heatmap at two matrix rows per character cell ("▀": foreground = upper row, background
// = lower row), one column per character: the model view's thumbnails and overviews of long inputs.
// The half-block trick is the one timg/chafa and ratatui's canvas HalfBlock marker use.

public struct DenseHeatmapWidget {
  public var values: [[Float]]
  public var masked: [[Bool]]
  public var depth: ColorDepth
  public var glyphs: Glyphs = .unicode
  public var colorMap: ColorMap = .viridis
  public var range: ClosedRange<Float> = 0...1
  /// How entries are combined when the matrix is shrunk into a box (see `Pooling`).
  public var pooling: Pooling = .max

  /// Masked halves: a neutral mid grey, which neither viridis nor the diverging map contains.
  public static let maskedColor = Color.rgb(88, 88, 88)

  public init(values: [[Float]], masked: [[Bool]]? = nil, depth: ColorDepth) {
    self.values = values
    self.masked = masked ?? values.map { $0.map { _ in false } }
    self.depth = depth
  }

  public init(data: HeatmapData, depth: ColorDepth) {
    self.init(values: data.values, masked: data.masked, depth: depth)
  }

  /// Shows signed values (positional encodings, raw scores) on the diverging map centred on zero,
  /// pooled by mean: the signed largest magnitude turned every sin/cos pair of a sinusoidal table
  /// (one of the two is always ≥ 0.7 in magnitude) into solid colour, a picture the table does
  /// not have. `.maxMagnitude` stays available for a reader who asks for it.
  public mutating func useDivergingScale() {
    colorMap = .diverging
    range = ValueRange.symmetric(values)
    pooling = .mean
  }

  /// Two rows per cell need a smooth background gradient and a half-block glyph; otherwise one
  /// row per cell, shaded with characters (16/8 colours, monochrome, ASCII-only terminals).
  public var usesHalfBlocks: Bool { depth.showsGradients && glyphs.upperHalfBlock != nil }
  public var rowsPerCell: Int { usesHalfBlocks ? 2 : 1 }

  public var matrixSize: (rows: Int, columns: Int) { (values.count, values.map(\.count).max() ?? 0) }

  /// Cells needed to draw every entry (odd row counts leave the last cell's lower half empty).
  public var size: (width: Int, height: Int) {
    (matrixSize.columns, (matrixSize.rows + rowsPerCell - 1) / rowsPerCell)
  }

  /// The cells the matrix takes inside a `width` × `height` box: its own size where it fits, else
  /// shrunk (each axis on its own) by pooling. With `stretch`, small matrices are also blown up.
  public func fittedSize(width: Int, height: Int, stretch: Bool = false) -> (width: Int, height: Int) {
    let natural = size
    return stretch
      ? (max(0, width), max(0, height)) : (min(natural.width, width), min(natural.height, height))
  }

  /// Draws every entry from (x, y).
  public func draw(into canvas: inout Canvas, x: Int, y: Int) {
    drawCells(values: values, masked: masked, into: &canvas, x: x, y: y)
  }

  /// Draws into a box, pooling when the matrix is larger; returns the cells used (top-left aligned).
  @discardableResult
  public func draw(
    into canvas: inout Canvas, x: Int, y: Int, width: Int, height: Int, stretch: Bool = false
  ) -> (width: Int, height: Int) {
    let box = fittedSize(width: width, height: height, stretch: stretch)
    // Rows in matrix units; an odd matrix that fits keeps its empty last half rather than stretching.
    let rows = stretch ? box.height * rowsPerCell : min(matrixSize.rows, box.height * rowsPerCell)
    if rows == matrixSize.rows, box.width == matrixSize.columns {
      draw(into: &canvas, x: x, y: y)
    } else {
      let pooled = Resampling.resample(
        values: values, masked: masked, rows: rows, columns: box.width, pooling: pooling)
      drawCells(values: pooled.values, masked: pooled.masked, into: &canvas, x: x, y: y)
    }
    return box
  }

  func drawCells(values: [[Float]], masked: [[Bool]], into canvas: inout Canvas, x: Int, y: Int) {
    let columns = values.map(\.count).max() ?? 0
    for cellRow in 0..<((values.count + rowsPerCell - 1) / rowsPerCell) {
      for column in 0..<columns {
        canvas[x + column, y + cellRow] =
          usesHalfBlocks
          ? halfBlockCell(values, masked, upper: 2 * cellRow, column: column)
          : shadedCell(values, masked, row: cellRow, column: column)
      }
    }
  }

  func halfBlockCell(_ values: [[Float]], _ masked: [[Bool]], upper: Int, column: Int) -> Cell {
    let top = color(values, masked, row: upper, column: column)
    let bottom =
      upper + 1 < values.count ? color(values, masked, row: upper + 1, column: column) : .terminalDefault
    return Cell(glyphs.upperHalfBlock ?? " ", foreground: top, background: bottom)
  }

  func color(_ values: [[Float]], _ masked: [[Bool]], row: Int, column: Int) -> Color {
    guard let value = Self.entry(values, masked, row, column) else { return Self.maskedColor }
    return colorMap.color(at: ValueRange.position(of: value, in: range))
  }

  func shadedCell(_ values: [[Float]], _ masked: [[Bool]], row: Int, column: Int) -> Cell {
    guard let value = Self.entry(values, masked, row, column) else {
      return Heatmap.maskedCell(depth: depth, glyphs: glyphs)
    }
    return Heatmap.shadedCell(
      ValueRange.position(of: value, in: range), colorMap: colorMap, depth: depth, glyphs: glyphs)
  }

  /// The value at (row, column), nil where masked or missing (ragged rows).
  static func entry(_ values: [[Float]], _ masked: [[Bool]], _ row: Int, _ column: Int) -> Float? {
    guard values.indices.contains(row), values[row].indices.contains(column) else { return nil }
    let isMasked = masked.indices.contains(row) && masked[row].indices.contains(column) && masked[row][column]
    return isMasked ? nil : values[row][column]
  }
}
