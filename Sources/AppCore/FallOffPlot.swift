// Screen 7's fall-off plot for a rotary table (`f`): q·k of a fixed pair of vectors against their
// distance, 0 … N − 1 left to right, 1 at the top. Where distances outnumber columns, a column
// shows the band from the lowest to the highest value of its distances, so the fast oscillation
// of the high-frequency pairs is drawn as the envelope it is rather than aliased into a false curve.
import Foundation
import Render

enum FallOffPlot {
  /// Columns kept on the left for the value labels.
  static let axisWidth = 6

  /// The column of distance `distance` in a plot `width` columns wide over `count` distances.
  static func column(of distance: Int, count: Int, width: Int) -> Int {
    count <= width ? distance : distance * width / max(1, count)
  }

  /// The distances column `column` covers.
  static func distances(column: Int, count: Int, width: Int) -> Range<Int> {
    guard count > width else { return column..<(column + 1) }
    let start = column * count / width
    return start..<max(start + 1, (column + 1) * count / width)
  }

  static func draw(
    _ curve: [Float], cursor: Int, glyphs: Glyphs, in inner: (x: Int, y: Int, width: Int, height: Int),
    into canvas: inout Canvas
  ) {
    let (width, height) = (min(curve.count, inner.width - axisWidth), inner.height - 1)
    guard width > 0, height > 1, let lowest = curve.min() else { return }
    let (top, bottom) = (Float(1), min(0, lowest))
    func row(_ value: Float) -> Int {
      inner.y + Int((Double(top - value) / Double(top - bottom) * Double(height - 1)).rounded())
    }
    let left = inner.x + axisWidth
    let cursorColumn = column(of: cursor, count: curve.count, width: width)
    // The zero line first, so the curve is drawn over it.
    for x in 0..<width { canvas[left + x, row(0)] = Cell(glyphs.box.horizontal, attributes: [.dim]) }
    let block: Character = glyphs == .ascii ? "#" : "█"
    for x in 0..<width {
      var band = distances(column: x, count: curve.count, width: width).clamped(to: 0..<curve.count)
      guard !band.isEmpty else { continue }
      // Reaching back to the previous column's last distance joins the columns into one line.
      band = max(0, band.lowerBound - 1)..<band.upperBound
      let values = curve[band]
      let selected = x == cursorColumn
      for y in row(values.max()!)...row(values.min()!) {
        canvas[left + x, y] = Cell(
          block, foreground: selected ? .ansi(11) : .ansi(14), attributes: selected ? [.bold] : [])
      }
    }
    var labels: [(Float, String)] = [(top, "1"), (0, "0")]
    if row(bottom) > row(0) + 1 { labels.append((bottom, String(format: "%.2f", Double(bottom)))) }
    for (value, text) in labels {
      canvas.put(text.leftPadded(axisWidth - 1), x: inner.x, y: row(value), attributes: [.dim])
    }
    // Below the plot: the distance axis and a marker under the cursor's column.
    let axisY = inner.y + height
    canvas.put("0", x: left, y: axisY, attributes: [.dim])
    let last = "\(curve.count - 1)"
    canvas.put(last, x: left + width - last.count, y: axisY, attributes: [.dim])
    let name = "distance p − q"
    if width >= name.count + 2 * last.count + 4 {
      canvas.put(name, x: left + (width - name.count) / 2, y: axisY, attributes: [.dim])
    }
    canvas[left + cursorColumn, axisY] = Cell(glyphs.arrowUp, foreground: .ansi(11), attributes: [.bold])
  }
}
