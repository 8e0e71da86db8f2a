// Screen 3: greedy and beam search side by side: sequences, per-token log-probs, scores, the first
// divergent step, and both hypotheses' attention at a picked step.
import Foundation
import Render

public enum CompareScreen {
  /// Rows of the two hypothesis blocks (name, tokens, log-probs), greedy first.
  static let blockRows = [3, 7]

  public static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    AppView.screen(state, size: size) { canvas, x in
      guard let run = state.compare.run else {
        canvas.put(state.compare.settingsLine, x: x, y: 1, attributes: [.bold])
        AppView.drawWaiting(state, into: &canvas)
        AttentionScreen.drawStatusLine(" \(state.trace.model) │ compare", into: &canvas)
        return
      }
      let step = state.selectedCompareStep
      canvas.put(
        state.compare.settingsLine + "  step \(step + 1)/"
          + "\(run.stepCount)", x: x, y: 1, attributes: [.bold])
      let divergence = run.divergence
      let best = run.bestBeam
      for (name, hypothesis, y) in [
        ("greedy", run.greedy, blockRows[0]), ("beam \(run.width)", best, blockRows[1]),
      ] {
        drawHypothesis(
          name, hypothesis, alpha: run.alpha, divergence: divergence, selected: step, into: &canvas, y: y)
      }
      var y = blockRows[1] + 4
      AblationView.drawCompareBefore(run, into: &canvas, y: y - 1)
      let verdict =
        divergence.map {
          "they diverge at step \($0 + 1): greedy '\(token(run.greedy, $0))', beam '\(token(best, $0))'"
        } ?? "greedy and the best beam agree at every step"
      canvas.put(verdict, x: 1, y: y, attributes: divergence == nil ? [] : [.bold], maxWidth: size.width - 2)
      y = drawAttention(state, run: run, step: step, into: &canvas, y: y + 2) + 1
      if let before = run.before, run.greedySteps.indices.contains(step) {
        // Heads switched off: greedy's top-k at this step, ablated and as trained, for the n-best list.
        let earlier = before.greedySteps.indices.contains(step) ? before.greedySteps[step] : nil
        AblationView.drawBarsBeforeAfter(
          after: run.greedySteps[step], before: earlier, into: &canvas, y: y, height: size.height - 3 - y)
      } else {
        drawNBest(run, into: &canvas, y: y, bottom: size.height - 3)
      }
      LegendWidget(depth: state.depth).draw(into: &canvas, x: 1, y: size.height - 3)
      AttentionScreen.drawStatusLine(
        " \(state.trace.model) │ compare │ greedy "
          + String(format: "%.4f", run.greedy.score) + " │ beam \(run.width) "
          + String(format: "%.4f", best.score) + " │ α " + String(format: "%.1f", run.alpha)
          + " │ step \(step + 1)/\(run.stepCount) │ layer \(state.decode.layer + 1) head \(state.decode.head + 1)",
        into: &canvas)
    }
  }

  static func token(_ hypothesis: HypothesisView, _ index: Int) -> String {
    hypothesis.tokens.indices.contains(index) ? hypothesis.tokens[index] : "(ended)"
  }

  /// Greedy's and the best beam's attention at `step`, side by side; returns the row after them.
  static func drawAttention(
    _ state: AppState, run: CompareRun, step: Int, into canvas: inout Canvas, y: Int
  ) -> Int {
    let rows = state.compareAttention
    let kind = (rows.greedy ?? rows.beam).map { _ in
      (run.greedySteps + run.beamSteps).contains { $0.crossAttention != nil }
        ? "cross-attention" : "masked self-attention"
    }
    guard let kind else {
      canvas.put("no attention recorded at step \(step + 1)", x: 1, y: y, attributes: [.dim])
      return y + 1
    }
    let half = canvas.width / 2
    let header = min(10, [rows.greedy, rows.beam].compactMap { $0?.keys.map(\.count).max() }.max() ?? 0)
    var bottom = y + 1
    for (name, row, hypothesis, left) in [
      ("greedy", rows.greedy, run.greedy, 1), ("beam \(run.width)", rows.beam, run.bestBeam, half + 1),
    ] {
      guard let row else {
        canvas.put(
          "\(name): ended before step \(step + 1)", x: left, y: y, attributes: [.dim], maxWidth: half - 2)
        continue
      }
      let title =
        "\(name): \(kind) of '\(Heatmap.fitted(row.query, 10))' → '\(Heatmap.fitted(token(hypothesis, step), 10))'"
      canvas.put(title, x: left, y: y, attributes: [.bold], maxWidth: half - 2)
      bottom = max(
        bottom,
        DecodeScreen.drawRow(
          row, state: state, into: &canvas, x: left, y: y + 1, header: header, width: half - 2))
    }
    return bottom
  }

  /// The beam's n-best list from `y`, as many rows as fit above `bottom`.
  static func drawNBest(_ run: CompareRun, into canvas: inout Canvas, y: Int, bottom: Int) {
    guard y < bottom - 1 else { return }
    let room = max(4, canvas.width - 48)
    canvas.put(
      "beam n-best (width \(run.width), α \(String(format: "%.1f", run.alpha)))", x: 1, y: y,
      attributes: [.bold])
    canvas.put(" log-prob     score", x: 7 + room, y: y, attributes: [.bold])
    for (rank, hypothesis) in run.beam.enumerated() where y + 1 + rank < bottom {
      let number = String(rank + 1).leftPadded(2)
      let scores = String(format: "%9.4f %9.4f", hypothesis.logProb, hypothesis.score)
      canvas.put(
        " \(number)  "
          + Heatmap.fitted(hypothesis.tokens.joined(separator: " "), room).padding(
            toLength: room, withPad: " ", startingAt: 0) + scores, x: 1, y: y + 1 + rank,
        attributes: rank == 0 ? [.bold] : [], maxWidth: canvas.width - 2)
    }
  }

  /// The columns each token (and its log-prob below it) takes on the block's second and third rows.
  static func tokenColumns(_ hypothesis: HypothesisView) -> [Range<Int>] {
    var x = 10
    return hypothesis.tokens.indices.map { index in
      let width = max(
        Heatmap.fitted(hypothesis.tokens[index], 12).count, logProbText(hypothesis, index).count)
      defer { x += width + 2 }
      return x..<(x + width)
    }
  }

  static func logProbText(_ hypothesis: HypothesisView, _ index: Int) -> String {
    let logProb = index < hypothesis.logProbs.count ? hypothesis.logProbs[index] : 0
    return abs(logProb) < 0.001 && logProb != 0
      ? String(format: "%.0e", logProb) : String(format: "%.3f", logProb)
  }

  /// The step under a click on a token or its log-prob, in either hypothesis.
  static func step(at mouse: MouseEvent, state: AppState) -> Int? {
    guard let run = state.compare.run else { return nil }
    for (hypothesis, y) in zip([run.greedy, run.bestBeam], blockRows) where [y + 1, y + 2].contains(mouse.y) {
      // A click in the gap after a token still picks it.
      return tokenColumns(hypothesis).firstIndex { $0.lowerBound <= mouse.x && mouse.x < $0.upperBound + 2 }
    }
    return nil
  }

  /// Three rows: the name, sequence and scores; the tokens in columns; each token's log-prob. The
  /// first divergent token is reversed; the selected step is underlined with a ▲ below it.
  static func drawHypothesis(
    _ name: String, _ hypothesis: HypothesisView, alpha: Float, divergence: Int?, selected: Int,
    into canvas: inout Canvas, y: Int
  ) {
    canvas.put(name, x: 1, y: y, attributes: [.bold])
    let scores = String(
      format: "log-prob %8.4f   score (α %.1f) %8.4f", hypothesis.logProb, alpha, hypothesis.score)
    let scoresX = max(30, canvas.width - scores.count - 1)
    canvas.put(
      hypothesis.tokens.joined(separator: " "), x: 10, y: y, attributes: [.bold], maxWidth: scoresX - 12)
    canvas.put(scores, x: scoresX, y: y)
    for (index, columns) in tokenColumns(hypothesis).enumerated() where columns.lowerBound < canvas.width {
      var attributes: CellAttributes = index == divergence ? [.reverse, .bold] : []
      if index == selected { attributes.formUnion([.underline, .bold]) }
      canvas.put(
        Heatmap.fitted(hypothesis.tokens[index], 12), x: columns.lowerBound, y: y + 1, attributes: attributes)
      canvas.put(
        logProbText(hypothesis, index), x: columns.lowerBound, y: y + 2,
        attributes: index == divergence ? [.reverse, .bold] : [.dim])
      if index == selected { canvas.put("▲", x: columns.lowerBound, y: y + 3, attributes: [.bold]) }
    }
  }
}

extension CompareRun {
  /// The best beam hypothesis (an empty one when the beam returned none).
  var bestBeam: HypothesisView { beam.first ?? HypothesisView(tokens: [], logProbs: [], score: 0) }
}

extension String {
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
