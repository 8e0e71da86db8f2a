// Screen 2: a greedy decode stepped through: source, prefix, the newest position's attention, top-k.
import Foundation
import Render

public enum DecodeScreen {
  public static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    AppView.screen(state, size: size) { canvas, x in
      guard let run = state.decode.run, let step = state.currentDecodeStep else {
        AppView.drawWaiting(state, into: &canvas)
        AttentionScreen.drawStatusLine(" \(state.trace.model) │ decode", into: &canvas)
        return
      }
      let row = step.selfAttention ?? step.crossAttention
      canvas.put(
        "step \(state.decode.step + 1)/\(run.steps.count)  layer \(state.decode.layer + 1)/\(row?.layers ?? 0)"
          + "  head \(state.decode.head + 1)/\(row?.heads(layer: state.decode.layer) ?? 0)",
        x: x, y: 1, attributes: [.bold])
      canvas.put("source", x: 1, y: 3, attributes: [.dim])
      AppView.drawTokens(run.source, highlight: nil, into: &canvas, x: 9, y: 3, maxWidth: size.width - 10)
      canvas.put("target", x: 1, y: 4, attributes: [.dim])
      let prefix = [run.start] + run.steps.prefix(state.decode.step).map(\.chosen) + [step.chosen]
      AppView.drawTokens(
        prefix, highlight: prefix.count - 1, into: &canvas, x: 9, y: 4, maxWidth: size.width - 10)
      AblationView.drawDecodeBefore(run, into: &canvas, y: 5)
      if state.lens.shown {  // the logit lens in place of the attention rows and bars (LogitLens.swift)
        LensPanel.draw(state, into: &canvas, y: 6, bottom: size.height - 4)
      } else {
        drawAttentionAndBars(state, step: step, into: &canvas, size: size)
      }
      if state.decode.run?.before == nil {  // (an ablated run's "before" line takes that row)
        canvas.put(state.sampling.line, x: 1, y: 5, attributes: [.dim], maxWidth: size.width - 2)
      }
      LegendWidget(depth: state.depth).draw(into: &canvas, x: 1, y: size.height - 3)
      let chosen = step.candidates.first { $0.token == step.chosen }
      AttentionScreen.drawStatusLine(
        " \(state.trace.model) │ decode │ step \(state.decode.step + 1)/\(run.steps.count) │ "
          + "'\(prefix[prefix.count - 2])' → '\(step.chosen)'"
          + (chosen.map { String(format: " p %.3f", $0.probability) } ?? "")
          + " │ layer \(state.decode.layer + 1) head \(state.decode.head + 1)"
          + (state.decode.playing ? " │ ▶ playing" : ""), into: &canvas)
    }
  }

  /// Both attention rows of the step, then its top-k (beside the model as trained's when heads
  /// are switched off).
  static func drawAttentionAndBars(
    _ state: AppState, step: DecodeStepView, into canvas: inout Canvas, size: (width: Int, height: Int)
  ) {
    let half = size.width / 2
    var bottom = 6
    // Both query rows on one line: the shorter header starts lower.
    let header = min(
      10, [step.selfAttention, step.crossAttention].compactMap { $0?.keys.map(\.count).max() }.max() ?? 0)
    for (attention, title, left) in [
      (step.selfAttention, "masked self-attention", 1), (step.crossAttention, "cross-attention", half + 1),
    ] {
      guard let attention else {
        canvas.put("no \(title)", x: left, y: 6, attributes: [.dim])
        continue
      }
      let query = Heatmap.fitted(attention.query, 12)
      canvas.put("\(title) of '\(query)'", x: left, y: 6, attributes: [.bold], maxWidth: half - 2)
      let end = drawRow(
        attention, state: state, into: &canvas, x: left, y: 7, header: header, width: half - 2)
      bottom = max(bottom, end)
    }
    let height = size.height - 3 - (bottom + 1)
    if let before = state.decode.run?.before {
      let earlier = before.indices.contains(state.decode.step) ? before[state.decode.step] : nil
      AblationView.drawBarsBeforeAfter(
        after: step, before: earlier, into: &canvas, y: bottom + 1, height: height)
    } else {
      // Sampling: the model's own bars on the left, the filtered distribution it drew from beside.
      let sampled = step.filtered != nil
      drawBars(
        step, into: &canvas, y: bottom + 1, width: sampled ? size.width / 2 : nil, height: height,
        title: sampled ? "next token (model)" : "next token")
      DecodeSamplingView.drawFiltered(
        state, step, into: &canvas, x: size.width / 2 + 1, y: bottom + 1, width: size.width / 2 - 2,
        height: height)
    }
  }

  /// One query row as a heatmap (panned to its strongest key) and the strongest key below it;
  /// with the sink hidden (`w`), the row without key 0, renormalised, and the sink's weight on a
  /// line below. Returns the row after it.
  static func drawRow(
    _ attention: AttentionRow, state: AppState, into canvas: inout Canvas, x: Int, y: Int, header: Int,
    width: Int
  ) -> Int {
    let layer = min(state.decode.layer, attention.layers - 1)
    guard layer >= 0, attention.heads(layer: layer) > 0 else { return y }
    let raw = attention.weights[layer][min(state.decode.head, attention.heads(layer: layer) - 1)]
    let hides = state.selections.hidesSink && raw.count > 1
    let weights = hides ? AttentionSink.renormalised(raw) : raw
    let keys = hides ? Array(attention.keys.dropFirst()) : attention.keys
    let strongest = weights.indices.max { weights[$0] < weights[$1] } ?? 0
    var widget = HeatmapWidget(
      data: HeatmapData(values: [weights], rowLabels: [attention.query], columnLabels: keys),
      depth: state.depth)
    let room = width - widget.rowLabelWidth
    widget.cellWidth = room >= weights.count * 3 ? 3 : room >= weights.count * 2 ? 2 : 1
    let columns = Pan.window(count: weights.count, visible: room / widget.cellWidth, cursor: strongest)
    guard !columns.isEmpty else { return y }
    widget.data = HeatmapData(
      values: [Array(weights[columns])], rowLabels: [attention.query],
      columnLabels: Array(keys[columns]))
    widget.draw(into: &canvas, x: x, y: y + header - widget.headerHeight)
    let below = y + header + 1
    let key = keys.indices.contains(strongest) ? keys[strongest] : "?"
    canvas.put(
      "most on '\(Heatmap.fitted(key, 12))' "
        + String(format: "%.3f", weights.isEmpty ? 0 : weights[strongest]) + (hides ? " of the rest" : ""),
      x: x, y: below, attributes: [.dim], maxWidth: width)
    // While hidden, the sink's weight is no longer a cell of the row: it gets a line of its own.
    guard hides, let sink = raw.first, let first = attention.keys.first else { return below + 1 }
    canvas.put(
      "sink '\(Heatmap.fitted(first, 8))' " + String(format: "%.3f", sink) + ", hidden (w shows it)", x: x,
      y: below + 1, foreground: .ansi(11), attributes: [.bold], maxWidth: width)
    return below + 2
  }

  /// The top-k next tokens as horizontal bars, the chosen one marked.
  /// `x` and `width` place them (the whole row by default, half of it beside a "before").
  static func drawBars(
    _ step: DecodeStepView, into canvas: inout Canvas, x: Int = 1, y: Int, width: Int? = nil, height: Int,
    title: String = "next token"
  ) {
    guard height >= 2 else { return }
    canvas.put(title, x: x, y: y, attributes: [.bold], maxWidth: width ?? canvas.width - x)
    let labelWidth = min(14, step.candidates.map(\.token.count).max() ?? 0)
    let barWidth = max(4, min(40, (width ?? canvas.width) - labelWidth - (width == nil ? 24 : 12)))
    for (index, candidate) in step.candidates.prefix(height - 1).enumerated() {
      let chosen = candidate.token == step.chosen
      let row = y + 1 + index
      let label = Heatmap.fitted(candidate.token, labelWidth)
      canvas.put(
        (chosen ? "▶ " : "  ") + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0), x: x,
        y: row, attributes: chosen ? [.bold] : [])
      let filled = filledCells(fraction: Double(candidate.probability), of: barWidth)
      let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: barWidth - filled)
      canvas.put(
        bar, x: x + labelWidth + 3, y: row, foreground: chosen ? .ansi(10) : .terminalDefault,
        attributes: chosen ? [.bold] : [.dim])
      canvas.put(
        String(format: "%.3f", candidate.probability) + (chosen && width == nil ? "  chosen" : ""),
        x: x + labelWidth + 4 + barWidth, y: row, attributes: chosen ? [.bold] : [])
    }
  }
}
