// view(state, size) → Canvas for the attention screen: title, heatmap of one head, legend, status line.
import Foundation
import Render
import Trace

public enum AttentionScreen {
  public static let minimumSize = (width: 40, height: 12)
  /// Rows above the heatmap (title, selection line) and below it (sink line, legend, notice, status).
  static let headerRows = 2
  static let footerRows = 4

  public static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    var canvas = Canvas(width: size.width, height: size.height)
    guard size.width >= minimumSize.width, size.height >= minimumSize.height else {
      return tooSmall(size)
    }
    drawTitle(state, into: &canvas)
    guard let entry = state.entry else {
      canvas.put("nothing to show: the trace has no attention", x: 1, y: headerRows)
      return canvas
    }
    if let widget = heatmap(state, entry: entry, size: size) {
      widget.draw(into: &canvas, x: 1, y: headerRows)
    } else if state.selections.hidesSink, entry.keys.count == 1 {
      canvas.put(
        "the sink '\(entry.keys[0])' is the only key: nothing is left once it is hidden (w shows it)",
        x: 1, y: headerRows, maxWidth: size.width - 2)
    }
    drawSinkLine(state, entry: entry, into: &canvas)
    var legend = LegendWidget(depth: state.depth)
    legend.glyphs = state.glyphs
    legend.draw(into: &canvas, x: 1, y: size.height - 3)
    drawPromptOrNotice(state, into: &canvas)
    drawStatus(state, entry: entry, into: &canvas)
    if state.showHelp { HelpOverlay.draw(into: &canvas, state: state) }
    return canvas
  }

  /// The canvas saying how much room the screens need.
  static func tooSmall(_ size: (width: Int, height: Int)) -> Canvas {
    var canvas = Canvas(width: size.width, height: size.height)
    let need = "(need \(minimumSize.width)×\(minimumSize.height))"
    let lines =
      size.width >= 19 + need.count ? ["terminal too small " + need] : ["terminal too small", need]
    for (index, line) in lines.enumerated() {
      canvas.put(line, x: 0, y: max(0, size.height / 2 - 1) + index, maxWidth: size.width)
    }
    return canvas
  }

  /// Row 0 of every screen: the model's name and description, the help and quit keys.
  static func drawTitleBar(_ state: AppState, into canvas: inout Canvas) {
    canvas.fill(x: 0, y: 0, width: canvas.width, height: 1, with: Cell(attributes: [.reverse]))
    let help = "? help  q quit "
    let title = " attnscope · \(state.trace.model)\(state.ablationTitle) · \(state.modelDescription)"
    canvas.put(
      Heatmap.fitted(title, canvas.width - help.count - 1), x: 0, y: 0, attributes: [.reverse, .bold])
    canvas.put(help, x: canvas.width - help.count, y: 0, attributes: [.reverse])
  }

  /// The line above the status line: the prompt being typed, or the notice.
  static func drawPromptOrNotice(_ state: AppState, into canvas: inout Canvas) {
    let y = canvas.height - 2
    if let prompt = state.prompt {
      // The tail of a long entry stays visible, as in a shell.
      let field = "\(prompt.label): "
      let visible = String(prompt.text.suffix(max(1, canvas.width - field.count - 3)))
      canvas.put(field + visible + "█", x: 1, y: y, attributes: [.bold])
    } else if let notice = state.notice {
      canvas.put(notice, x: 1, y: y, foreground: .ansi(11), attributes: [.bold])
    }
  }

  /// The reverse-video status line at the bottom.
  static func drawStatusLine(_ text: String, into canvas: inout Canvas) {
    let y = canvas.height - 1
    canvas.fill(x: 0, y: y, width: canvas.width, height: 1, with: Cell(attributes: [.reverse]))
    canvas.put(text, x: 0, y: y, attributes: [.reverse])
  }

  static func drawTitle(_ state: AppState, into canvas: inout Canvas) {
    drawTitleBar(state, into: &canvas)
    var x = 1
    for (index, pair) in state.kinds.enumerated() {
      let label = " \(pair.stack.rawValue) \(pair.kind.rawValue) "
      let selected = index == state.kindIndex
      x += canvas.put(label, x: x, y: 1, attributes: selected ? [.reverse, .bold] : [.dim]) + 1
    }
    if let entry = state.entry {
      let selection =
        "layer \(state.layer + 1)/\(state.layerEntries.count)  head \(state.head + 1)/\(entry.heads)"
      let used = canvas.put(selection, x: x + 2, y: 1, attributes: [.bold])
      if let sharing = KeyValueSharing.description(entry, head: state.head) {
        canvas.put(" · " + sharing, x: x + 2 + used, y: 1, maxWidth: max(0, canvas.width - x - used - 3))
      }
    }
  }

  /// The heatmap of the selected head, panned so the cursor stays visible when the matrix is larger
  /// than the screen.
  static func heatmap(_ state: AppState, entry: AttentionEntry, size: (width: Int, height: Int))
    -> HeatmapWidget?
  {
    let full = shownMatrix(state, entry: entry)
    // The data's column c is key c + firstKey (1 while the sink is hidden).
    let firstKey = entry.keys.count - full.columnLabels.count
    var widget = HeatmapWidget(data: full, depth: state.depth)
    widget.glyphs = state.glyphs
    let availableWidth = size.width - 2 - widget.rowLabelWidth
    let availableRows = size.height - headerRows - footerRows - widget.headerHeight
    // `z` / `Z` pick a zoom level; otherwise the widest cells that show every key.
    if let zoom = state.selections.attentionZoom {
      widget.cellWidth = HeatmapWidget.zoomLevels[min(max(0, zoom), HeatmapWidget.zoomLevels.count - 1)]
    } else {
      widget.cellWidth =
        availableWidth >= full.columnLabels.count * 3
        ? 3 : availableWidth >= full.columnLabels.count * 2 ? 2 : 1
    }
    let rows = Pan.window(count: entry.queries.count, visible: availableRows, cursor: state.cursorRow)
    let columns = Pan.window(
      count: full.columnLabels.count, visible: availableWidth / widget.cellWidth,
      cursor: state.cursorColumn - firstKey)
    guard !rows.isEmpty, !columns.isEmpty else { return nil }
    widget.data = HeatmapData(
      values: rows.map { Array(full.values[$0][columns]) },
      masked: rows.map { Array(full.masked[$0][columns]) },
      rowLabels: Array(full.rowLabels[rows]), columnLabels: Array(full.columnLabels[columns]))
    widget.cursor = (state.cursorRow - rows.lowerBound, state.cursorColumn - firstKey - columns.lowerBound)
    return widget
  }

  static func drawStatus(_ state: AppState, entry: AttentionEntry, into canvas: inout Canvas) {
    let (q, k, h) = (state.cursorRow, state.cursorColumn, state.head)
    let score = entry.score(head: h, query: q, key: k)
    let weight = entry.weight(head: h, query: q, key: k)
    let masked = entry.isMasked(head: h, query: q, key: k)
    let pair = "'\(entry.queries[q])' → '\(entry.keys[k])'"
    var status =
      " \(state.trace.model) │ \(entry.stack.rawValue) \(entry.kind.rawValue) │ layer \(state.layer + 1)"
      + " head \(h + 1) │ \(pair) "
      + (masked ? "masked (a future token)" : String(format: "= %.4f (q·k/√d %.2f)", weight, score))
    if state.selections.hidesSink, k > 0, !masked {
      // Both numbers, the renormalised one being what the cell's colour shows; the kind is on row 1,
      // so it gives way to them.
      let row = AttentionSink.renormalised(
        entry.weightMatrix(head: h)[q], masked: AttentionSink.maskMatrix(entry, head: h)[q])
      status =
        " \(state.trace.model) │ layer \(state.layer + 1) head \(h + 1) │ \(pair) "
        + String(format: "raw %.4f, without the sink %.4f │ q·k/√d %.2f", weight, row[k - 1], score)
    }
    drawStatusLine(status, into: &canvas)
  }

  /// The selected head's matrix as shown: raw, or without key 0 and renormalised (`w`).
  static func shownMatrix(_ state: AppState, entry: AttentionEntry) -> HeatmapData {
    let head = state.head
    guard state.selections.hidesSink, !entry.keys.isEmpty else {
      return HeatmapData(
        values: entry.weightMatrix(head: head), masked: AttentionSink.maskMatrix(entry, head: head),
        rowLabels: entry.queries, columnLabels: entry.keys)
    }
    let hidden = AttentionSink.hidden(entry, head: head)
    return HeatmapData(
      values: hidden.values, masked: hidden.masked, rowLabels: entry.queries,
      columnLabels: Array(entry.keys.dropFirst()))
  }

  /// The line above the legend: the sink's mass (this head's mean over its rows, the cursor row's)
  /// and whether it is hidden.
  static func drawSinkLine(_ state: AppState, entry: AttentionEntry, into canvas: inout Canvas) {
    guard let first = entry.keys.first else { return }
    let mean = AttentionSink.format(AttentionSink.meanMass(entry, head: state.head))
    let row = AttentionSink.format(AttentionSink.mass(entry, head: state.head, query: state.cursorRow))
    let text =
      state.selections.hidesSink
      ? AttentionSink.hiddenNote(firstKey: first) + " · mass: head \(mean), row \(row)"
      : "sink '\(first)' (key 1): head mean \(mean), this row \(row) · w hides it"
    canvas.put(
      Heatmap.fitted(text, canvas.width - 1, ellipsis: state.glyphs.ellipsis), x: 1, y: canvas.height - 4,
      foreground: state.selections.hidesSink ? .ansi(11) : .terminalDefault,
      attributes: state.selections.hidesSink ? [.bold] : [.dim])
  }

  /// The matrix entry under a mouse click, if any.
  static func entry(at mouse: MouseEvent, state: AppState, size: (width: Int, height: Int))
    -> (Int, Int)?
  {
    guard let entry = state.entry, let widget = heatmap(state, entry: entry, size: size),
      let hit = widget.entry(atX: mouse.x - 1, y: mouse.y - headerRows), let cursor = widget.cursor
    else { return nil }
    return (state.cursorRow - cursor.row + hit.row, state.cursorColumn - cursor.column + hit.column)
  }
}

/// Which slice of a long axis is visible so that the cursor is inside it.
enum Pan {
  static func window(count: Int, visible: Int, cursor: Int) -> Range<Int> {
    guard visible > 0, count > 0 else { return 0..<0 }
    guard count > visible else { return 0..<count }
    let start = min(max(0, cursor - visible / 2), count - visible)
    return start..<(start + visible)
  }
}
