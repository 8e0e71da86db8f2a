// Ablation and the logit lens on the screens, from hand-made runs: `a` asks the host for the
// ablated model and `A` for the model as trained; the answer marks the head on the model view and in
// every title bar; screens 2 and 3 set the model as trained beside the ablated run; `L` asks for the
// lens and draws its layers × top-k table. Golden snapshots at 100×30 (ATTNSCOPE_RECORD_SNAPSHOTS=1).
import TestSupport
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

/// A lens reading of sampleDecodeRun: two layers (embeddings, layer 1), the chosen token top at 1.
func sampleLensRun() -> LensRun {
  func steps(_ chosen: [String]) -> [LensStep] {
    chosen.map { token in
      LensStep(
        chosen: token,
        layers: [
          [
            TokenProbability(token: "molto", probability: 0.5),
            TokenProbability(token: token, probability: 0.25),
          ],
          [
            TokenProbability(token: token, probability: 0.75),
            TokenProbability(token: "molto", probability: 0.25),
          ],
        ], chosenProbability: [0.25, 0.75], firstTop: 1)
    }
  }
  return LensRun(hypotheses: [
    LensHypothesis(name: "greedy", steps: steps(["ti", "amo", "</s>"])),
    LensHypothesis(name: "beam 4 #1", steps: steps(["ti", "voglio", "</s>"])),
  ])
}

@Suite struct AblationLensScreenTests {
  let size = snapshotSize

  /// The model view with head 2 of the first layer switched off, as the host's answer leaves it.
  func ablatedModelView() -> (AppState, HeadAblation) {
    var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
    _ = update(&state, .key(.character("5")), size: size)
    _ = update(&state, .key(.right), size: size)
    let effects = update(&state, .key(.character("a")), size: size)
    let head = AblatedHead(stack: .encoder, kind: .self, layer: 0, head: 1)
    #expect(effects == [.ablate(HeadAblation([head]))])
    #expect(state.ablation.isEmpty, "the state changes when the host answers")
    _ = update(&state, .ablated(ModelView(trace: sampleTrace(), description: "test"), HeadAblation([head])))
    return (state, HeadAblation([head]))
  }

  @Test func theAnswerMarksTheHeadEverywhereAndATurnsEveryHeadBackOn() {
    var (state, ablation) = ablatedModelView()
    #expect(state.ablation == ablation)
    #expect(state.notice?.hasPrefix("enc.L1.H2 off · 1 head off") == true, "\(state.notice ?? "")")
    assertSnapshot(AppView.view(state, size: size), depth: .palette256, named: "ablation-model-view-100x30")
    for screen in ["1", "6"] {
      _ = update(&state, .key(.character(Character(screen))), size: size)
      #expect(AppView.view(state, size: size).lines[0].contains("✕ off: enc.L1.H2"), "screen \(screen)")
    }
    _ = update(&state, .key(.character("5")), size: size)
    #expect(
      update(&state, .key(.character("a")), size: size) == [.ablate(HeadAblation())], "a again: back on")
    #expect(update(&state, .key(.character("A")), size: size) == [.ablate(HeadAblation())])
    _ = update(&state, .ablated(ModelView(trace: sampleTrace(), description: "test"), HeadAblation()))
    #expect(state.notice == "every head back on: the model as trained")
    #expect(update(&state, .key(.character("A")), size: size) == [])
    #expect(!AppView.view(state, size: size).lines[0].contains("✕"))
  }

  @Test func decodeAndCompareShowTheModelAsTrainedBesideIt() {
    var (state, _) = ablatedModelView()
    var run = sampleDecodeRun()
    run.before = run.steps
    run.before![1].chosen = "voglio"
    run.before![1].candidates = [
      TokenProbability(token: "voglio", probability: 0.5), TokenProbability(token: "amo", probability: 0.5),
    ]
    #expect(update(&state, .key(.character("2")), size: size) == [.runDecode])
    _ = update(&state, .decoded(run))
    _ = update(&state, .key(.right), size: size)
    assertSnapshot(AppView.view(state, size: size), depth: .palette256, named: "ablation-decode-100x30")
    var compare = sampleCompareRun()
    compare.before = CompareBefore(
      greedy: HypothesisView(tokens: ["ti", "voglio", "</s>"], logProbs: [-0.5, -0.7, -0.1], score: -1.3),
      beam: compare.beam.first, greedySteps: run.before!)
    _ = update(&state, .key(.character("3")), size: size)
    _ = update(&state, .compared(compare))
    assertSnapshot(AppView.view(state, size: size), depth: .palette256, named: "ablation-compare-100x30")
  }

  @Test func lensKeysAskForTheReadingsAndDrawTheTable() {
    var state = decodeScreenState()
    #expect(update(&state, .key(.character("B")), size: size) == [])
    #expect(state.notice?.hasPrefix("B picks the lens's hypothesis") == true)
    #expect(update(&state, .key(.character("L")), size: size) == [.runLens(width: 4, alpha: 0)])
    #expect(AppView.view(state, size: size).lines.joined().contains("logit lens: reading every layer…"))
    _ = update(&state, .lensed(sampleLensRun()))
    assertSnapshot(AppView.view(state, size: size), depth: .palette256, named: "lens-decode-100x30")
    _ = update(&state, .key(.character("B")), size: size)
    let lines = AppView.view(state, size: size).lines
    #expect(lines.contains { $0.contains("logit lens · beam 4 #1 (2/2, B next) · step 2 → 'voglio'") })
    // Hidden and shown again: the readings are kept, nothing is asked twice.
    _ = update(&state, .key(.character("L")), size: size)
    #expect(update(&state, .key(.character("L")), size: size) == [])
    // A failure is said in the panel.
    _ = update(&state, .failed(.runLens(width: 4, alpha: 0), "no decoder"))
    #expect(AppView.view(state, size: size).lines.joined().contains("logit lens: no decoder"))
  }
}
