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
    guard let entry = state.shownEntry else {
      canvas.put("nothing to show: the trace has no attention", x: 1, y: headerRows)
      return canvas
    }
    drawMatrix(state, entry: entry, size: size, into: &canvas)
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
    if let entry = state.shownEntry {
      let selection =
        "layer \(state.layer + 1)/\(state.layerEntries.count)  head \(state.head + 1)/\(state.headCount)"
      let used = canvas.put(selection, x: x + 2, y: 1, attributes: [.bold])
      if let sharing = KeyValueSharing.description(entry, head: state.shownHead) {
        canvas.put(" · " + sharing, x: x + 2 + used, y: 1, maxWidth: max(0, canvas.width - x - used - 3))
      }
    }
  }

  /// The matrix area: labelled cells filling the window (with the strip of every head when they
  /// fit), or the pooled overview of a long input.
  static func drawMatrix(
    _ state: AppState, entry: AttentionEntry, size: (width: Int, height: Int), into canvas: inout Canvas
  ) {
    let area = self.area(state, entry: entry, size: size)
    switch scale(state, area: area) {
    case .pooled(let divisor):
      AttentionOverview.draw(
        state, entry: entry, area: area, divisor: divisor, into: &canvas, x: 1, y: headerRows)
    case .cells(let width):
      let strip = HeadStrip.layout(state, entry: entry, area: area, cellWidth: width)
      if let widget = heatmap(state, entry: entry, area: area, cellWidth: width, reserved: strip?.height ?? 0)
      {
        widget.draw(into: &canvas, x: 1, y: headerRows)
      } else if state.selections.hidesSink, entry.keys.count == 1 {
        canvas.put(
          "the sink '\(entry.keys[0])' is the only key: nothing is left once it is hidden (w shows it)",
          x: 1, y: headerRows, maxWidth: size.width - 2)
      }
      if let strip { HeadStrip.draw(state, entry: entry, layout: strip, into: &canvas, x: 1) }
    }
  }

  /// The room the matrix has on this frame, between the selection line and the sink line.
  static func area(_ state: AppState, entry: AttentionEntry, size: (width: Int, height: Int)) -> AttentionArea
  {
    let keyOffset = AttentionOverview.shownKeyOffset(state, entry: entry)
    // The longest label in columns, up to the limit; a label with no more UTF-8 bytes than the
    // longest so far cannot be wider, so most of 4,096 labels are never measured.
    let limit = rowLabelLimit(size.width)
    var longest = 0
    for label in entry.queries where label.utf8.count > longest && longest < limit {
      longest = max(longest, TerminalText.columns(of: label))
    }
    let halfBlocks = state.depth.showsGradients && state.glyphs.upperHalfBlock != nil
    return AttentionArea(
      width: size.width - 2, height: size.height - headerRows - footerRows, queries: entry.queries.count,
      keys: entry.keys.count - keyOffset, rowLabelWidth: min(limit, longest) + 1,
      rowsPerCell: halfBlocks ? 2 : 1)
  }

  /// Row labels may take a sixth of the window (at least 8, at most 24 columns), beyond which every
  /// label is shortened the same way (`Heatmap.fitted`: its first columns and an ellipsis).
  static func rowLabelLimit(_ width: Int) -> Int { min(24, max(8, width / 6)) }

  /// The zoom asked for, or the one that fits; a labelled scale is kept only while its keys fit
  /// one column each (else the overview, which `z` zooms into).
  static func scale(_ state: AppState, area: AttentionArea) -> AttentionScale {
    state.selections.attentionScale ?? area.fit
  }

  /// The heatmap of the selected head at `cellWidth`, rows as tall as fill the area less
  /// `reserved` rows, panned so the cursor stays visible when the matrix is larger than the screen.
  static func heatmap(
    _ state: AppState, entry: AttentionEntry, area: AttentionArea, cellWidth: Int, reserved: Int = 0
  ) -> HeatmapWidget? {
    let keyOffset = AttentionOverview.shownKeyOffset(state, entry: entry)
    let shownKeys = entry.keys.count - keyOffset
    var widget = HeatmapWidget(
      data: HeatmapData(
        values: [], rowLabels: entry.queries, columnLabels: Array(entry.keys.dropFirst(keyOffset))),
      depth: state.depth)
    widget.glyphs = state.glyphs
    widget.maxRowLabelWidth = rowLabelLimit(area.width + 2)
    widget.columnLabelStyle = .automatic
    widget.cellWidth = cellWidth
    let availableWidth = area.width - widget.rowLabelWidth
    let columns = Pan.window(
      count: shownKeys, visible: availableWidth / cellWidth, cursor: state.cursorColumn - keyOffset)
    // The header of the visible labels only (a 4,096-key header is not laid out every frame).
    widget.data.columnLabels = Array(
      entry.keys[(columns.lowerBound + keyOffset)..<(columns.upperBound + keyOffset)])
    let availableRows = area.height - reserved - widget.headerHeight
    // Square-looking cells where there is room: a terminal cell is about twice as tall as wide.
    widget.cellHeight = max(1, min(availableRows / max(1, entry.queries.count), cellWidth / 2))
    let rows = Pan.window(
      count: entry.queries.count, visible: availableRows / widget.cellHeight, cursor: state.cursorRow)
    guard !rows.isEmpty, !columns.isEmpty else { return nil }
    widget.data = window(state, entry: entry, rows: rows, columns: columns, keyOffset: keyOffset)
    widget.cursor = (state.cursorRow - rows.lowerBound, state.cursorColumn - keyOffset - columns.lowerBound)
    return widget
  }

  /// The visible part of the shown matrix (raw, or without key 0 and renormalised: `w`), read
  /// entry by entry so a long input costs only what is on screen.
  static func window(
    _ state: AppState, entry: AttentionEntry, rows: Range<Int>, columns: Range<Int>, keyOffset: Int
  ) -> HeatmapData {
    let head = state.shownHead
    var values: [[Float]] = []
    var masked: [[Bool]] = []
    for q in rows {
      var scale: Float = 1
      if keyOffset == 1 {
        // AttentionSink.renormalised's divisor: the visible keys' own sum.
        var total: Float = 0
        for k in 1..<entry.keys.count where !entry.isMasked(head: head, query: q, key: k) {
          total += entry.weight(head: head, query: q, key: k)
        }
        scale = total > 0 && total.isFinite ? 1 / total : 0
      }
      let keys = columns.map { $0 + keyOffset }
      masked.append(keys.map { entry.isMasked(head: head, query: q, key: $0) })
      values.append(
        keys.map {
          entry.isMasked(head: head, query: q, key: $0)
            ? 0 : entry.weight(head: head, query: q, key: $0) * scale
        })
    }
    return HeatmapData(
      values: values, masked: masked, rowLabels: Array(entry.queries[rows]),
      columnLabels: columns.map { entry.keys[$0 + keyOffset] })
  }

  static func drawStatus(_ state: AppState, entry: AttentionEntry, into canvas: inout Canvas) {
    let (q, k, h) = (state.cursorRow, state.cursorColumn, state.shownHead)
    let score = entry.score(head: h, query: q, key: k)
    let weight = entry.weight(head: h, query: q, key: k)
    let masked = entry.isMasked(head: h, query: q, key: k)
    // Exact positions wherever not every token is on screen (long inputs, the overview).
    let numbered = entry.keys.count > canvas.width / 3 || entry.queries.count > canvas.height - 8
    let pair =
      numbered
      ? "row \(q + 1)/\(entry.queries.count) '\(Heatmap.fitted(entry.queries[q], 16))' → key \(k + 1)/\(entry.keys.count) '\(Heatmap.fitted(entry.keys[k], 16))'"
      : "'\(entry.queries[q])' → '\(entry.keys[k])'"
    var status =
      " \(state.trace.model) │ \(entry.stack.rawValue) \(entry.kind.rawValue) │ layer \(state.layer + 1)"
      + " head \(state.head + 1) │ \(pair) "
      + (masked ? "masked (a future token)" : String(format: "= %.4f (q·k/√d %.2f)", weight, score))
    if state.selections.hidesSink, k > 0, !masked {
      // Both numbers, the renormalised one being what the cell's colour shows; the kind is on row 1,
      // so it gives way to them.
      // This row only: a 4,096-token head is never copied for one number.
      let row = AttentionSink.renormalised(
        (0..<entry.keys.count).map { entry.weight(head: h, query: q, key: $0) },
        masked: (0..<entry.keys.count).map { entry.isMasked(head: h, query: q, key: $0) })
      status =
        " \(state.trace.model) │ layer \(state.layer + 1) head \(state.head + 1) │ \(pair) "
        + String(format: "raw %.4f, without the sink %.4f │ q·k/√d %.2f", weight, row[k - 1], score)
    }
    drawStatusLine(status, into: &canvas)
  }

  /// The line above the legend: the sink's mass (this head's mean over its rows, the cursor row's)
  /// and whether it is hidden.
  static func drawSinkLine(_ state: AppState, entry: AttentionEntry, into canvas: inout Canvas) {
    guard let first = entry.keys.first else { return }
    let mean = AttentionSink.format(AttentionSink.meanMass(entry, head: state.shownHead))
    let row = AttentionSink.format(AttentionSink.mass(entry, head: state.shownHead, query: state.cursorRow))
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
    guard let entry = state.shownEntry else { return nil }
    let area = self.area(state, entry: entry, size: size)
    switch scale(state, area: area) {
    case .pooled(let divisor):
      return AttentionOverview.entry(
        at: (mouse.x - 1, mouse.y - headerRows), state: state, entry: entry, area: area, divisor: divisor)
    case .cells(let width):
      let strip = HeadStrip.layout(state, entry: entry, area: area, cellWidth: width)
      guard
        let widget = heatmap(state, entry: entry, area: area, cellWidth: width, reserved: strip?.height ?? 0),
        let hit = widget.entry(atX: mouse.x - 1, y: mouse.y - headerRows), let cursor = widget.cursor
      else { return nil }
      return (state.cursorRow - cursor.row + hit.row, state.cursorColumn - cursor.column + hit.column)
    }
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
