// Screen 3: greedy and beam search side by side: sequences, per-token log-probs, scores, divergence.
import Foundation
import Render

public enum CompareScreen {
  public static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    AppView.screen(state, size: size) { canvas, x in
      canvas.put(
        "beam width \(state.beamWidth)  α \(String(format: "%.1f", state.alpha))", x: x, y: 1,
        attributes: [.bold])
      guard let run = state.compareRun else {
        AppView.drawWaiting(state, into: &canvas)
        AttentionScreen.drawStatusLine(" \(state.trace.model) │ compare", into: &canvas)
        return
      }
      let divergence = run.divergence
      var y = 3
      let best = run.beam.first ?? HypothesisView(tokens: [], logProbs: [], score: 0)
      for (name, hypothesis) in [("greedy", run.greedy), ("beam \(run.width)", best)] {
        drawHypothesis(
          name, hypothesis, alpha: run.alpha, divergence: divergence, into: &canvas, y: y)
        y += 4
      }
      let verdict =
        divergence.map {
          "they diverge at step \($0 + 1): greedy '\(token(run.greedy, $0))', beam '\(token(best, $0))'"
        } ?? "greedy and the best beam agree at every step"
      canvas.put(verdict, x: 1, y: y, attributes: divergence == nil ? [] : [.bold], maxWidth: size.width - 2)
      y += 2
      let room = max(4, size.width - 48)
      canvas.put(
        "beam n-best (width \(run.width), α \(String(format: "%.1f", run.alpha)))", x: 1, y: y,
        attributes: [.bold])
      canvas.put(" log-prob     score", x: 7 + room, y: y, attributes: [.bold])
      for (rank, hypothesis) in run.beam.enumerated() where y + 1 + rank < size.height - 2 {
        let number = String(rank + 1).leftPadded(2)
        let scores = String(format: "%9.4f %9.4f", hypothesis.logProb, hypothesis.score)
        canvas.put(
          " \(number)  "
            + Heatmap.fitted(hypothesis.tokens.joined(separator: " "), room).padding(
              toLength: room, withPad: " ", startingAt: 0) + scores, x: 1, y: y + 1 + rank,
          attributes: rank == 0 ? [.bold] : [], maxWidth: size.width - 2)
      }
      AttentionScreen.drawStatusLine(
        " \(state.trace.model) │ compare │ greedy "
          + String(format: "%.4f", run.greedy.score) + " │ beam \(run.width) "
          + String(format: "%.4f", best.score) + " │ α " + String(format: "%.1f", run.alpha),
        into: &canvas)
    }
  }

  static func token(_ hypothesis: HypothesisView, _ index: Int) -> String {
    hypothesis.tokens.indices.contains(index) ? hypothesis.tokens[index] : "(ended)"
  }

  /// Three rows: the name, sequence and scores; the tokens in columns; each token's log-prob.
  static func drawHypothesis(
    _ name: String, _ hypothesis: HypothesisView, alpha: Float, divergence: Int?,
    into canvas: inout Canvas, y: Int
  ) {
    canvas.put(name, x: 1, y: y, attributes: [.bold])
    let scores = String(
      format: "log-prob %8.4f   score (α %.1f) %8.4f", hypothesis.logProb, alpha, hypothesis.score)
    let scoresX = max(30, canvas.width - scores.count - 1)
    canvas.put(
      hypothesis.tokens.joined(separator: " "), x: 10, y: y, attributes: [.bold], maxWidth: scoresX - 12)
    canvas.put(scores, x: scoresX, y: y)
    var x = 10
    for (index, token) in hypothesis.tokens.enumerated() where x < canvas.width {
      let logProb = index < hypothesis.logProbs.count ? hypothesis.logProbs[index] : 0
      let number =
        abs(logProb) < 0.001 && logProb != 0
        ? String(format: "%.0e", logProb) : String(format: "%.3f", logProb)
      let width = max(Heatmap.fitted(token, 12).count, number.count) + 2
      let attributes: CellAttributes = index == divergence ? [.reverse, .bold] : [.dim]
      canvas.put(Heatmap.fitted(token, 12), x: x, y: y + 1, attributes: index == divergence ? attributes : [])
      canvas.put(number, x: x, y: y + 2, attributes: attributes)
      x += width
    }
  }
}

extension String {
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
