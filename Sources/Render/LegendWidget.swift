// A horizontal colour-bar legend with its end values, and a note on how masked cells look.
import Foundation

public struct LegendWidget {
  public var depth: ColorDepth
  public var colorMap: ColorMap = .viridis
  public var glyphs: Glyphs = .unicode
  public var range: ClosedRange<Float> = 0...1
  public var width = 20

  public init(depth: ColorDepth) { self.depth = depth }

  /// Draws "0.00 bar 1.00   · masked" on one line; returns the columns used. A diverging map
  /// shows its symmetric range the same way (e.g. "-2.50 bar 2.50"), zero at the bar's middle.
  @discardableResult
  public func draw(into canvas: inout Canvas, x: Int, y: Int) -> Int {
    var column = x
    column += canvas.put(Legend.format(range.lowerBound) + " ", x: column, y: y)
    for i in 0..<width {
      canvas[column + i, y] = Heatmap.shadedCell(
        Double(i) / Double(max(1, width - 1)), colorMap: colorMap, depth: depth, glyphs: glyphs)
    }
    column += width
    column += canvas.put(" " + Legend.format(range.upperBound) + "   ", x: column, y: y)
    canvas[column, y] = Heatmap.maskedCell(depth: depth, glyphs: glyphs)
    column += 1
    column += canvas.put(" masked", x: column, y: y)
    return column - x
  }
}

enum Legend {
  static func format(_ value: Float) -> String { String(format: "%.2f", Double(value)) }
}
