// Labelled horizontal bars with their values: top-k next-token probabilities, predicted classes.
// Bars end in eighth blocks (▏…█) as btop and ratatui's BarChart do, so 0.51 and 0.55 look different
// in a 10-cell bar; ASCII terminals get whole "#" cells.
import Foundation

public struct BarChartItem: Hashable, Sendable {
  public var label: String
  public var value: Double
  /// Drawn with the marker, in bold and in the marked colour (the chosen token, the predicted class).
  public var marked: Bool

  public init(label: String, value: Double, marked: Bool = false) {
    self.label = label
    self.value = value
    self.marked = marked
  }
}

public struct BarChartWidget {
  public var items: [BarChartItem]
  public var glyphs: Glyphs = .unicode
  /// The value of a full bar; nil: the largest value (use 1 for probabilities, so bars compare
  /// across steps).
  public var scale: Double?
  /// Digits after the decimal point of the value column.
  public var decimals = 3
  /// Shown after the value of a marked item (e.g. "chosen").
  public var markedNote = ""
  /// A selected row is drawn in reverse video (a cursor), independent of marking.
  public var selected: Int?
  public var maxLabelWidth = 14
  public var markedColor: Color = .ansi(10)
  /// Show the unfilled rest of each bar, so bar lengths read against a common scale.
  public var showsTrack = true

  public init(items: [BarChartItem]) { self.items = items }

  /// Columns of the label column (the longest label, bounded).
  public var labelWidth: Int {
    min(maxLabelWidth, items.map { TerminalText.columns(of: $0.label) }.max() ?? 0)
  }

  /// Draws one item per line, "▶ label bar value note", into a `width` × `height` box; items past
  /// the box are left out. Negative values draw as empty bars. Returns the rows used.
  @discardableResult
  public func draw(into canvas: inout Canvas, x: Int, y: Int, width: Int, height: Int) -> Int {
    let valueWidth = items.map { format($0.value).count }.max() ?? 0
    let noteWidth = items.contains(where: \.marked) && !markedNote.isEmpty ? markedNote.count + 2 : 0
    let barWidth = max(1, width - 2 - labelWidth - 1 - 1 - valueWidth - noteWidth)
    let full = scale ?? max(items.map(\.value).max() ?? 1, .leastNonzeroMagnitude)
    for (index, item) in items.prefix(max(0, height)).enumerated() {
      let row = y + index
      var attributes: CellAttributes = item.marked ? [.bold] : []
      if index == selected { attributes.insert(.reverse) }
      let label = Heatmap.fitted(item.label, labelWidth, ellipsis: glyphs.ellipsis)
      let padding = String(repeating: " ", count: max(0, labelWidth - TerminalText.columns(of: label)))
      let prefix = (item.marked ? String(glyphs.marker) : " ") + " " + label + padding + " "
      var column = x + canvas.put(prefix, x: x, y: row, attributes: attributes, maxWidth: width)
      let bar = Self.bar(
        fraction: full > 0 ? item.value / full : 0, width: barWidth, glyphs: glyphs, track: showsTrack)
      canvas.put(
        bar, x: column, y: row, foreground: item.marked ? markedColor : .terminalDefault,
        attributes: item.marked ? [.bold] : [.dim], maxWidth: x + width - column)
      column += barWidth + 1
      let value = String(repeating: " ", count: valueWidth - format(item.value).count) + format(item.value)
      let note = item.marked && !markedNote.isEmpty ? "  " + markedNote : ""
      canvas.put(
        value + note, x: column, y: row, attributes: item.marked ? [.bold] : [], maxWidth: x + width - column)
    }
    return min(items.count, max(0, height))
  }

  func format(_ value: Double) -> String {
    value.isFinite ? String(format: "%.\(decimals)f", value) : value.isNaN ? "NaN" : value > 0 ? "∞" : "-∞"
  }

  /// `width` cells filled to `fraction` (clamped to [0, 1]) in eighths where the glyphs have them,
  /// rounded to the nearest step, then the track (or spaces).
  public static func bar(fraction: Double, width: Int, glyphs: Glyphs, track: Bool = true) -> String {
    guard width > 0 else { return "" }
    let steps = glyphs.barEighths.count
    let units = filledCells(fraction: fraction, of: width * steps)
    let (whole, part) = (units / steps, units % steps)
    var bar = String(repeating: glyphs.barEighths[steps - 1], count: whole)
    if part > 0 { bar.append(glyphs.barEighths[part - 1]) }
    let rest = width - bar.count
    return bar + String(repeating: track ? glyphs.barTrack : " ", count: rest)
  }
}

/// How many of `cells` a bar filled to `fraction` covers: rounded, clamped to 0…cells, and 0 for NaN,
/// so a value that came out of an overflowing model draws an empty bar instead of trapping in `Int(_:)`.
/// Every bar drawn from model output (the bar chart, the decode screen, `classify`) goes through it.
public func filledCells(fraction: Double, of cells: Int) -> Int {
  guard fraction.isFinite else { return fraction == .infinity ? max(0, cells) : 0 }
  let clamped = min(1, max(0, fraction))
  return min(max(0, cells), Int((clamped * Double(max(0, cells))).rounded()))
}
