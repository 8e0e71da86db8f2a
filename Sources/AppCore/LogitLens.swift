// The decode screen's logit lens (nostalgebraist 2020): `L` shows, for the selected step, what every
// layer's residual stream predicts through the model's final norm and LM head — a layers × top-k
// table with probabilities, the chosen token's probability per layer, and the first layer at which
// it became the top guess — for greedy and (`B`) each beam hypothesis. The host computes it
// (Effect.runLens); the last row is the model's own distribution.
import Foundation
import Render

/// One step of one hypothesis through the lens.
public struct LensStep: Equatable, Sendable {
  /// The token the hypothesis chose at this step.
  public var chosen: String
  /// `[layer][k]`, layer 0 the embeddings, best first.
  public var layers: [[TokenProbability]]
  /// The chosen token's probability at every layer.
  public var chosenProbability: [Float]
  /// The first layer whose best guess is the chosen token (nil: none, e.g. a sampled token).
  public var firstTop: Int?

  public init(chosen: String, layers: [[TokenProbability]], chosenProbability: [Float], firstTop: Int?) {
    self.chosen = chosen
    self.layers = layers
    self.chosenProbability = chosenProbability
    self.firstTop = firstTop
  }
}

/// Greedy's or one beam hypothesis's tokens and their lens readings, one per token.
public struct LensHypothesis: Equatable, Sendable {
  public var name: String
  public var steps: [LensStep]

  public init(name: String, steps: [LensStep]) {
    self.name = name
    self.steps = steps
  }
}

/// Greedy first, then the beam's hypotheses best first.
public struct LensRun: Equatable, Sendable {
  public var hypotheses: [LensHypothesis]

  public init(hypotheses: [LensHypothesis]) { self.hypotheses = hypotheses }
}

/// Whether the lens is shown, which hypothesis, and what the host answered.
public struct LensScreenState: Sendable {
  public var shown = false
  public var hypothesis = 0
  public var run: LensRun?
  public var problem: String?
  /// The (width, α) the run was asked for, so a new beam setting asks again.
  var requested: (width: Int, alpha: Float)?

  public init() {}

  /// The model or input changed: the readings are stale.
  mutating func forget() {
    run = nil
    problem = nil
    requested = nil
  }

  mutating func clamp() {
    hypothesis = min(max(0, hypothesis), max(0, (run?.hypotheses.count ?? 1) - 1))
  }
}

extension AppState {
  /// The lens run the decode screen waits for, if it is shown and not yet asked for these settings.
  func lensEffects() -> [Effect] {
    guard lens.shown, lens.problem == nil else { return [] }
    if let asked = lens.requested, asked == (compare.width, compare.alpha) { return [] }
    return [.runLens(width: compare.width, alpha: compare.alpha)]
  }

  /// The hypothesis and step the lens shows: the decode screen's step, inside the hypothesis.
  var lensSelection: (hypothesis: LensHypothesis, step: Int)? {
    guard let run = lens.run, run.hypotheses.indices.contains(lens.hypothesis) else { return nil }
    let hypothesis = run.hypotheses[lens.hypothesis]
    guard !hypothesis.steps.isEmpty else { return nil }
    return (hypothesis, min(decode.step, hypothesis.steps.count - 1))
  }
}

/// `L` and `B` on the decode screen; nil for keys the lens does not handle.
func handleLensKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
  switch key {
  case .character("L"):
    state.lens.shown.toggle()
    guard state.lens.shown else { return [] }
    let effects = state.lensEffects()
    if !effects.isEmpty { state.lens.requested = (state.compare.width, state.compare.alpha) }
    return effects
  case .character("B"):
    guard state.lens.shown else {
      state.notice = "B picks the lens's hypothesis: L shows the lens first"
      return []
    }
    state.lens.hypothesis = (state.lens.hypothesis + 1) % max(1, state.lens.run?.hypotheses.count ?? 1)
    return []
  default: return nil
  }
}

enum LensPanel {
  /// Columns of one candidate cell: the token and its probability.
  static let cellWidth = 15

  /// The lens of the selected step from row `y` to `bottom`.
  static func draw(_ state: AppState, into canvas: inout Canvas, y: Int, bottom: Int) {
    guard let (hypothesis, step) = state.lensSelection else {
      let message =
        state.lens.problem.map { "logit lens: \($0)" } ?? "logit lens: reading every layer…"
      canvas.put(message, x: 1, y: y, maxWidth: canvas.width - 2)
      return
    }
    let reading = hypothesis.steps[step]
    let count = state.lens.run?.hypotheses.count ?? 1
    let first =
      reading.firstTop.map { $0 == 0 ? "top already in the embeddings" : "first top at layer \($0)" }
      ?? "never the top guess"
    canvas.put(
      "logit lens · \(hypothesis.name) (\(state.lens.hypothesis + 1)/\(count), B next) · step \(step + 1) → "
        + "'\(reading.chosen)' · \(first)", x: 1, y: y, attributes: [.bold], maxWidth: canvas.width - 2)
    AppView.drawTokens(
      hypothesis.steps.map(\.chosen), highlight: step, into: &canvas, x: 1, y: y + 1,
      maxWidth: canvas.width - 2)
    let columns = max(1, min(reading.layers.first?.count ?? 1, (canvas.width - 17) / cellWidth))
    canvas.put("layer  p(chosen)", x: 1, y: y + 2, attributes: [.dim])
    for k in 0..<columns {
      canvas.put("top \(k + 1)", x: 18 + k * cellWidth, y: y + 2, attributes: [.dim])
    }
    // The last layers where not all fit: the model's own answer and the layers just before it.
    let rows = Pan.window(
      count: reading.layers.count, visible: max(1, bottom - (y + 3) + 1), cursor: reading.layers.count - 1)
    for (index, layer) in rows.enumerated() {
      drawLayer(reading, layer: layer, columns: columns, state: state, into: &canvas, y: y + 3 + index)
    }
  }

  /// One row: "L3  0.412  ▶amo 0.412  ti 0.100 …", the chosen token's cells in green, the first
  /// layer where it is top in reverse video.
  static func drawLayer(
    _ reading: LensStep, layer: Int, columns: Int, state: AppState, into canvas: inout Canvas, y: Int
  ) {
    let isFirst = reading.firstTop == layer
    let label = layer == 0 ? "emb" : "L\(layer)"
    canvas.put(label, x: 1, y: y, attributes: isFirst ? [.bold, .reverse] : [.dim])
    let p = reading.chosenProbability.indices.contains(layer) ? reading.chosenProbability[layer] : 0
    canvas.put(String(format: "%.3f", p), x: 8, y: y, foreground: .ansi(10), attributes: [.bold])
    for (k, candidate) in reading.layers[layer].prefix(columns).enumerated() {
      let chosen = candidate.token == reading.chosen
      let token = Heatmap.fitted(candidate.token, cellWidth - 7, ellipsis: state.glyphs.ellipsis)
      canvas.put(
        (chosen ? "▶" : " ") + token + " " + String(format: "%.3f", candidate.probability),
        x: 17 + k * cellWidth,
        y: y, foreground: chosen ? .ansi(10) : .terminalDefault, attributes: chosen ? [.bold] : [],
        maxWidth: cellWidth - 1)
    }
  }
}
