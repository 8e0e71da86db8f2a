// A labelled heatmap: query labels down the left, key labels along the top, one shaded cell per value.

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
}

public struct HeatmapWidget {
  public var data: HeatmapData
  public var depth: ColorDepth
  public var colorMap: ColorMap = .viridis
  /// Columns per matrix cell.
  public var cellWidth = 3
  public var cursor: (row: Int, column: Int)?
  /// Values mapped to the ends of the colour map.
  public var range: ClosedRange<Float> = 0...1

  public init(data: HeatmapData, depth: ColorDepth) {
    self.data = data
    self.depth = depth
  }

  /// Width of the row-label column, bounded so long tokens do not squeeze the matrix.
  public var rowLabelWidth: Int { min(14, (data.rowLabels.map(\.count).max() ?? 0)) + 1 }
  /// Height of the column-label header: labels are written vertically, one character per line.
  public var headerHeight: Int { min(10, data.columnLabels.map(\.count).max() ?? 0) }

  /// Cells the whole heatmap needs.
  public var size: (width: Int, height: Int) {
    (rowLabelWidth + data.columnLabels.count * cellWidth, headerHeight + data.rowLabels.count)
  }

  /// Which matrix entry (row, column) is at canvas position (x, y) relative to the widget's origin.
  public func entry(atX x: Int, y: Int) -> (row: Int, column: Int)? {
    let (row, column) = (y - headerHeight, (x - rowLabelWidth) / max(1, cellWidth))
    guard x >= rowLabelWidth, row >= 0, row < data.rowLabels.count, column < data.columnLabels.count
    else { return nil }
    return (row, column)
  }

  public func draw(into canvas: inout Canvas, x: Int, y: Int) {
    drawColumnLabels(into: &canvas, x: x + rowLabelWidth, y: y)
    for (row, label) in data.rowLabels.enumerated() {
      let top = y + headerHeight + row
      let isCursorRow = cursor?.row == row
      canvas.put(
        Heatmap.fitted(label, rowLabelWidth - 1), x: x, y: top,
        attributes: isCursorRow ? [.bold, .reverse] : [])
      for column in 0..<data.columnLabels.count {
        let cell = self.cell(row: row, column: column)
        for offset in 0..<cellWidth {
          canvas[x + rowLabelWidth + column * cellWidth + offset, top] = cell
        }
        if cursor?.row == row, cursor?.column == column, cellWidth >= 3 {
          canvas[x + rowLabelWidth + column * cellWidth, top].character = "["
          canvas[x + rowLabelWidth + column * cellWidth + cellWidth - 1, top].character = "]"
        }
      }
    }
  }

  /// The cell for one entry at this widget's colour depth.
  public func cell(row: Int, column: Int) -> Cell {
    if data.masked[row][column] { return Heatmap.maskedCell(depth: depth) }
    let value = data.values[row][column]
    let t = Double((value - range.lowerBound) / max(1e-12, range.upperBound - range.lowerBound))
    return Heatmap.shadedCell(t, colorMap: colorMap, depth: depth)
  }

  func drawColumnLabels(into canvas: inout Canvas, x: Int, y: Int) {
    for (column, label) in data.columnLabels.enumerated() {
      let isCursorColumn = cursor?.column == column
      let fitted = Array(Heatmap.fitted(label, headerHeight))
      for (line, character) in fitted.enumerated() {
        canvas[x + column * cellWidth + cellWidth / 2, y + line] = Cell(
          Canvas.printable(character), attributes: isCursorColumn ? [.bold, .reverse] : [])
      }
    }
  }
}

/// Shading shared by the heatmap and its legend.
public enum Heatmap {
  /// A cell shaded for `t` in [0, 1]: a background colour where there are colours, shade characters
  /// with 16 colours, an ASCII ramp in monochrome.
  public static func shadedCell(_ t: Double, colorMap: ColorMap, depth: ColorDepth) -> Cell {
    let color = colorMap.color(at: t)
    switch depth {
    case .trueColor, .palette256:
      return Cell(" ", background: color)
    case .ansi16:
      return Cell(ShadeRamp.character(at: t, ramp: ShadeRamp.blocks), foreground: color)
    case .monochrome:
      return Cell(ShadeRamp.character(at: t, ramp: ShadeRamp.ascii))
    }
  }

  /// Masked entries: a dim "×" pattern on the default background, unlike any probability's shade.
  public static func maskedCell(depth: ColorDepth) -> Cell {
    depth == .monochrome
      ? Cell("x") : Cell("·", foreground: .ansi(8), background: .terminalDefault, attributes: [.dim])
  }

  /// Truncates with an ellipsis so labels keep their first characters.
  public static func fitted(_ text: String, _ width: Int) -> String {
    guard width > 0 else { return "" }
    return text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
  }
}
