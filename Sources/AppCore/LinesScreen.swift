// Screen 9: BertViz's head view in a terminal (Vig 2019, "A Multiscale Visualization of Attention
// in the Transformer Model", fig. 1): the query tokens down the left, the key tokens down the
// right, a line from a query to each key it attends to, as bright as the weight; one head in its
// colour, or every head overlaid in its own. Lines are drawn in braille dots (BrailleLines), which
// keeps eight lines per row of text legible at 80×24.
import Foundation
import Render
import Trace

public enum LinesScreen {
  /// One colour per head (Tableau's 10 and two more), the same on the strip and in the legend.
  static let headColors: [Color] = [
    .rgb(78, 121, 167), .rgb(242, 142, 43), .rgb(225, 87, 89), .rgb(118, 183, 178), .rgb(89, 161, 79),
    .rgb(237, 201, 72), .rgb(176, 122, 161), .rgb(255, 157, 167), .rgb(156, 117, 95), .rgb(186, 176, 172),
    .rgb(31, 190, 220), .rgb(200, 82, 200),
  ]
  /// Lines below this weight are not drawn (they would be invisible, and they cost a Bresenham each).
  static let minimumWeight: Float = 0.01

  static func color(head: Int) -> Color { headColors[head % headColors.count] }

  public static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    AppView.screen(state, size: size) { canvas, x in
      guard let entry = state.entry, !entry.queries.isEmpty, !entry.keys.isEmpty else {
        canvas.put("nothing to show: the trace has no attention", x: 1, y: 3)
        AttentionScreen.drawStatusLine(" \(state.trace.model) │ lines", into: &canvas)
        return
      }
      drawSelection(state, entry: entry, into: &canvas, x: x)
      drawBody(state, entry: entry, into: &canvas)
      drawLegend(state, entry: entry, into: &canvas)
      drawStatus(state, entry: entry, into: &canvas)
    }
  }

  /// Row 2, under the tabs (row 1 after the tabs is too short at 80 columns): kind, layer, head or
  /// "all heads", and whose lines are drawn.
  static func drawSelection(_ state: AppState, entry: AttentionEntry, into canvas: inout Canvas, x: Int) {
    let lines = state.selections
    let heads = lines.linesAllHeads ? "all \(entry.heads) heads" : "head \(state.head + 1)/\(entry.heads)"
    let from =
      lines.linesEveryToken
      ? "from every token" : "from '\(Heatmap.fitted(entry.queries[state.cursorRow], 12))'"
    canvas.put(
      "\(entry.stack.rawValue) \(entry.kind.rawValue) · layer \(state.layer + 1)/\(state.layerEntries.count)"
        + " · \(heads) · \(from)", x: 1, y: 2, attributes: [.bold], maxWidth: max(0, canvas.width - 2))
  }

  /// The geometry of the two token columns.
  struct Layout {
    var top: Int
    var rows: Int
    /// Terminal rows between two tokens (tokens spread out over the height when there are few).
    var spacing: Int
    var labelWidth: Int
    var linesLeft: Int
    var linesWidth: Int
    var queries: Range<Int>
    var keys: Range<Int>
  }

  static func layout(_ state: AppState, entry: AttentionEntry, size: (width: Int, height: Int)) -> Layout {
    let top = 3
    let rows = max(1, size.height - top - 3)  // legend, notice, status
    let longest = (entry.queries + entry.keys).map { TerminalText.columns(of: $0) }.max() ?? 1
    let labelWidth = min(max(4, longest), max(4, size.width / 5))
    let count = max(entry.queries.count, entry.keys.count)
    let spacing = max(1, min(3, rows / max(1, count)))
    let visible = max(1, rows / spacing)
    let queries = Pan.window(count: entry.queries.count, visible: visible, cursor: state.cursorRow)
    // Self-attention keeps both columns on the same tokens; cross-attention's keys follow the key cursor.
    let keys =
      entry.keys == entry.queries
      ? queries : Pan.window(count: entry.keys.count, visible: visible, cursor: state.cursorColumn)
    let linesLeft = 1 + labelWidth + 1
    return Layout(
      top: top, rows: rows, spacing: spacing, labelWidth: labelWidth, linesLeft: linesLeft,
      linesWidth: max(1, size.width - 2 * labelWidth - 4), queries: queries, keys: keys)
  }

  static func drawBody(_ state: AppState, entry: AttentionEntry, into canvas: inout Canvas) {
    let layout = self.layout(state, entry: entry, size: (canvas.width, canvas.height))
    var lines = BrailleLines(width: layout.linesWidth, height: layout.rows)
    let heads = state.selections.linesAllHeads ? Array(0..<entry.heads) : [state.head]
    let queries = state.selections.linesEveryToken ? Array(layout.queries) : [state.cursorRow]
    // Weaker lines first is not needed: each cell keeps its strongest line whatever the order.
    for head in heads {
      for q in queries where layout.queries.contains(q) {
        let from = (x: 0, y: dotRow(q - layout.queries.lowerBound, layout))
        for k in layout.keys {
          let weight = entry.weight(head: head, query: q, key: k)
          guard weight >= minimumWeight, !entry.isMasked(head: head, query: q, key: k) else { continue }
          let to = (x: lines.dotWidth - 1, y: dotRow(k - layout.keys.lowerBound, layout))
          lines.line(from: from, to: to, weight: weight, color: color(head: head))
        }
      }
    }
    lines.draw(into: &canvas, x: layout.linesLeft, y: layout.top)
    drawLabels(state, entry: entry, layout: layout, into: &canvas)
  }

  /// The dot row of the `index`-th visible token: the middle of its text row.
  static func dotRow(_ index: Int, _ layout: Layout) -> Int { index * layout.spacing * 4 + 1 }

  /// Query labels right-aligned on the left, key labels on the right; the selected query reversed,
  /// the key cursor underlined, keys bold where the selected query gives them at least 0.1.
  static func drawLabels(_ state: AppState, entry: AttentionEntry, layout: Layout, into canvas: inout Canvas)
  {
    let ellipsis = state.glyphs.ellipsis
    for q in layout.queries {
      let label = Heatmap.fitted(entry.queries[q], layout.labelWidth, ellipsis: ellipsis)
      let x = 1 + layout.labelWidth - TerminalText.columns(of: label)
      let selected = q == state.cursorRow
      canvas.put(
        label, x: x, y: layout.top + (q - layout.queries.lowerBound) * layout.spacing,
        attributes: selected ? [.reverse, .bold] : state.selections.linesEveryToken ? [] : [.dim])
    }
    let right = layout.linesLeft + layout.linesWidth + 1
    for k in layout.keys {
      let weight = entry.weight(head: state.head, query: state.cursorRow, key: k)
      var attributes: CellAttributes = weight >= 0.1 ? [.bold] : []
      if k == state.cursorColumn { attributes.insert(.underline) }
      canvas.put(
        Heatmap.fitted(entry.keys[k], layout.labelWidth, ellipsis: ellipsis), x: right,
        y: layout.top + (k - layout.keys.lowerBound) * layout.spacing, attributes: attributes)
    }
  }

  /// Above the notice: each head's colour (the selected one, or all overlaid), and the keys.
  static func drawLegend(_ state: AppState, entry: AttentionEntry, into canvas: inout Canvas) {
    let y = canvas.height - 3
    var x = 1
    x += canvas.put("colour = head, brightness = weight:", x: x, y: y, attributes: [.dim]) + 1
    let heads = state.selections.linesAllHeads ? Array(0..<entry.heads) : [state.head]
    for head in heads where x + 4 < canvas.width {
      x += canvas.put("h\(head + 1)", x: x, y: y, foreground: color(head: head), attributes: [.bold]) + 1
    }
    let keys = " a every token/one · m all heads/one · j k query · h l key · ] [ head"
    canvas.put(keys, x: x, y: y, attributes: [.dim], maxWidth: max(0, canvas.width - x - 1))
  }

  static func drawStatus(_ state: AppState, entry: AttentionEntry, into canvas: inout Canvas) {
    let (q, k, h) = (state.cursorRow, state.cursorColumn, state.head)
    let weight = entry.weight(head: h, query: q, key: k)
    let masked = entry.isMasked(head: h, query: q, key: k)
    let value = masked ? "masked (a future token)" : String(format: "= %.4f", weight)
    AttentionScreen.drawStatusLine(
      " \(state.trace.model) │ lines │ layer \(state.layer + 1) head \(h + 1) │ "
        + "'\(entry.queries[q])' → '\(entry.keys[k])' \(value)", into: &canvas)
  }
}

/// Screen 9's keys: `a` every token / the selected one, `m` every head overlaid / one; the rest
/// (cursor, head, layer, kind) are screen 1's. Returns false for keys it leaves to those.
func handleLines(_ key: Key, _ state: inout AppState) -> Bool {
  switch key {
  case .character("a"):
    state.selections.linesEveryToken.toggle()
    state.notice =
      state.selections.linesEveryToken ? "lines from every token" : "lines from the selected token"
  case .character("m"):
    state.selections.linesAllHeads.toggle()
    state.notice = state.selections.linesAllHeads ? "every head overlaid, one colour each" : "one head"
  default: return false
  }
  return true
}
