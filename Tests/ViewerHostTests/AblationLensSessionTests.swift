// Ablation and the logit lens through the closed loop: `a` on the model view re-runs the model with
// the head off (the trace is the ablated model's, every screen says which heads are off), the decode
// and compare runs carry the model as trained beside them, and `L` reads greedy and every beam
// hypothesis through the lens, whose last layer is the model's own distribution.
import AppCore
import Foundation
import Testing
import Trace
import Transformer
import ViewerHost
import Workbench

@Suite struct AblationLensSessionTests {
  typealias Loop = ViewerSessionTests

  /// Each character of `keys` as a key press, its effects run by the session.
  func press(_ keys: String, _ session: inout ViewerSession, _ state: inout AppState) {
    for key in keys { Loop.drain(update(&state, .key(.character(key)), size: Loop.size), &session, &state) }
  }

  @Test func aSwitchesTheSelectedHeadOffAndEveryScreenShowsTheAblatedModel() throws {
    var (session, state) = try Loop.session("en-it")
    let trained = state.trace
    // Screen 5, decoder cross-attention, layer 1, head 2.
    press("5xla", &session, &state)
    let head = AblatedHead(stack: .decoder, kind: .cross, layer: 0, head: 1)
    #expect(state.ablation == HeadAblation([head]))
    #expect(session.ablation == state.ablation)
    #expect(state.notice?.hasPrefix("cross.L1.H2 off") == true, "\(state.notice ?? "")")
    // The trace is the ablated model's: the same as tracing the ablated model directly.
    guard case .text(let loaded) = session.trained else { throw ModelError("en-it is a text model") }
    let direct = try loaded.ablating(state.ablation).trace(
      text: session.input, target: nil, recordsVectors: true)
    #expect(state.trace == direct.trace)
    #expect(state.trace != trained)
    let canvas = AppView.view(state, size: Loop.size)
    #expect(canvas.lines[0].contains("✕ off: cross.L1.H2"))
    #expect(canvas.lines.joined().contains("✕off"))
    // Decode: the model as trained beside the ablated run.
    press("2", &session, &state)
    let run = try #require(state.decode.run)
    let before = try #require(run.before)
    #expect(before == (try loaded.decodeRun(text: session.input)).steps)
    #expect(run.steps == (try loaded.ablating(state.ablation).decodeRun(text: session.input)).steps)
    #expect(
      AppView.view(state, size: Loop.size).lines.joined(separator: "\n").contains("before (as trained)"))
    // Compare: greedy and the best beam as trained.
    press("3", &session, &state)
    let compared = try #require(state.compare.run?.before)
    #expect(compared.greedy == (try loaded.compareRun(text: session.input, width: 4, alpha: 0)).greedy)
    // A switches every head back on: the trace as trained, no "before".
    press("5A", &session, &state)
    #expect(state.ablation.isEmpty && state.trace == trained)
    press("2", &session, &state)
    #expect(state.decode.run?.before == nil)
  }

  @Test func theLensReadsGreedyAndEveryBeamHypothesis() throws {
    var (session, state) = try Loop.session("en-it")
    press("2L", &session, &state)
    let lens = try #require(state.lens.run)
    let decode = try #require(state.decode.run)
    #expect(lens.hypotheses.count == 1 + 4, "greedy and the 4 beam hypotheses")
    let greedy = lens.hypotheses[0]
    #expect(greedy.steps.map(\.chosen) == decode.steps.map(\.chosen))
    for (step, reading) in zip(decode.steps, greedy.steps) {
      #expect(reading.layers.count == 1 + 1, "the embeddings and the decoder's one layer")
      // The last layer is the model's own distribution: its best token is greedy's choice.
      #expect(reading.layers.last?.first?.token == step.chosen)
      #expect(abs((reading.chosenProbability.last ?? 0) - (step.candidates.first?.probability ?? -1)) < 1e-5)
      let first = try #require(reading.firstTop)
      #expect(reading.layers[first].first?.token == step.chosen)
      #expect(reading.layers[..<first].allSatisfy { $0.first?.token != step.chosen })
    }
    let text = AppView.view(state, size: Loop.size).lines.joined(separator: "\n")
    #expect(text.contains("logit lens · greedy (1/5, B next)"))
    press("B", &session, &state)
    #expect(
      AppView.view(state, size: Loop.size).lines.joined(separator: "\n").contains(
        "logit lens · beam 4 #1 (2/5, B next)"))
  }
}
