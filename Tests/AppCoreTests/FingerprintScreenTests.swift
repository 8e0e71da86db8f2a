import TestSupport
// Screen 5 by head fingerprint (c, r, f), screen 0 (one word in two inputs) and screen 2's
// sampling keys, as pure state transitions and golden frames (ATTNSCOPE_RECORD_SNAPSHOTS=1).
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

/// "the bank" / "the river bank": 2 layers × 2 heads, vectors chosen so the cosines are easy
/// (embeddings equal, then apart).
func sampleContrastRun() -> ContrastRun {
  func side(_ tokens: [String], _ text: String, spread: Float) -> ContrastSide {
    let n = tokens.count
    let attention = (0..<2).map { layer in
      AttentionEntry(
        stack: .encoder, kind: .self, layer: layer, heads: 2, queries: tokens, keys: tokens,
        weights: (0..<(2 * n * n)).map { index in
          let (head, query, key) = (index / (n * n), index / n % n, index % n)
          return key == (head == 0 ? query : 0) ? 0.8 : 0.2 / Float(n - 1)
        }, scores: Array(repeating: 0, count: 2 * n * n))
    }
    let vectors = (0..<3).map { depth in
      (0..<n).map { position in [1, Float(depth) * spread, Float(position)] as [Float] }
    }
    return ContrastSide(text: text, tokens: tokens, position: 0, vectors: vectors, attention: attention)
  }
  return ContrastRun(
    model: "toy", first: side(["the", "bank", "</s>"], "the bank", spread: 1),
    second: side(["the", "river", "bank", "</s>"], "the river bank", spread: -1), notices: [])
}

func contrastScreenState() -> AppState {
  var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
  state.contrast.word = "bank"
  _ = update(&state, .key(.character("0")), size: snapshotSize)
  _ = update(&state, .contrasted(sampleContrastRun()))
  return state
}

@Suite struct FingerprintScreenTests {
  @Test func cColoursByEachMetricInTurnThenThumbnails() {
    var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
    _ = update(&state, .key(.character("5")), size: snapshotSize)
    var seen: [HeadMetric?] = []
    for _ in 0..<5 {
      _ = update(&state, .key(.character("c")), size: snapshotSize)
      seen.append(state.headMetrics.metric)
    }
    // The trace alone: no induction (the host adds it); encoder self has no anti-diagonal.
    #expect(seen == [.entropy, .sink, .previousToken, .selfScore, nil])
    _ = update(&state, .key(.character("C")), size: snapshotSize)
    #expect(state.headMetrics.metric == .selfScore)
  }

  @Test func rankingIsBestFirstAndArrowsWalkIt() {
    var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
    _ = update(&state, .key(.character("5")), size: snapshotSize)
    _ = update(&state, .key(.character("c")), size: snapshotSize)
    _ = update(&state, .key(.character("c")), size: snapshotSize)  // sink
    _ = update(&state, .key(.character("r")), size: snapshotSize)
    let ranking = HeadMetricView.ranking(state)
    #expect(ranking.count == 4)
    #expect(zip(ranking, ranking.dropFirst()).allSatisfy { $0[.sink]! >= $1[.sink]! })
    _ = update(&state, .key(.down), size: snapshotSize)
    let second = ranking[ranking.firstIndex { $0.layer == 0 && $0.head == 0 }.map { min($0 + 1, 3) } ?? 0]
    #expect((state.layer, state.head) == (second.layer, second.head))
    // f: only heads at 75% of the best stay.
    for _ in 0..<3 { _ = update(&state, .key(.character("f")), size: snapshotSize) }
    let best = ranking[0][.sink]!
    #expect(HeadMetricView.ranking(state).allSatisfy { $0[.sink]! >= 0.75 * best })
  }

  @Test func fWithoutAMetricSaysWhatToDo() {
    var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
    _ = update(&state, .key(.character("5")), size: snapshotSize)
    _ = update(&state, .key(.character("f")), size: snapshotSize)
    #expect(state.notice == "f filters by the colouring metric: pick one with c first")
  }

  @Test func contrastAsksForARunThenFindsTheWordInBoth() {
    var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
    let effects = update(&state, .key(.character("0")), size: snapshotSize)
    #expect(effects == [.runContrast(first: state.contrast.texts[0], second: state.contrast.texts[1])])
    _ = update(&state, .contrasted(sampleContrastRun()))
    #expect(state.contrast.run?.first.position == 1 && state.contrast.run?.second.position == 2)
    // Embeddings equal, then (1, ±d, p) apart.
    let cosines = state.contrast.run!.cosines
    #expect(abs(cosines[0] - ContextualContrast.cosine([1, 0, 1], [1, 0, 2])) < 1e-6)
    _ = update(&state, .key(.left), size: snapshotSize)
    #expect(state.contrast.run?.first.position == 0 && state.contrast.word == "the")
    _ = update(&state, .key(.tab), size: snapshotSize)
    _ = update(&state, .key(.right), size: snapshotSize)
    #expect(state.contrast.run?.second.position == 3)
    _ = update(&state, .key(.character("a")), size: snapshotSize)
    #expect(state.prompt?.purpose == .contrastInput(0))
    #expect(state.prompt?.text == state.contrast.texts[0], "the prompt starts from the input shown")
    state.prompt?.text = "the bank"
    #expect(
      update(&state, .key(.enter), size: snapshotSize).first
        == .runContrast(first: "the bank", second: state.contrast.texts[1]))
  }

  @Test func aFailedContrastSaysWhy() {
    var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
    _ = update(&state, .key(.character("0")), size: snapshotSize)
    _ = update(&state, .failed(.runContrast(first: "a", second: "b"), "input 1 is one token"))
    #expect(state.contrast.problem == "input 1 is one token")
    #expect(
      AppView.view(state, size: snapshotSize).lines.joined(separator: "\n").contains(
        "cannot contrast: input 1 is one token"))
  }

  @Test func samplingKeysReDecodeWithTheirSettings() {
    var state = decodeScreenState()
    #expect(update(&state, .key(.character("g")), size: snapshotSize) == [.runDecode])
    #expect(state.sampling.sampling && state.decode.run == nil)
    for key in ["t", "t", "u", "u", "u", "V", "r"] {
      _ = update(&state, .key(.character(Character(key))), size: snapshotSize)
    }
    #expect(state.sampling.temperatureTenths == 12 && state.sampling.topK == 3)
    #expect(state.sampling.topPHundredths == 95 && state.sampling.seed == 1)
    for _ in 0..<100 { _ = update(&state, .key(.character("T")), size: snapshotSize) }
    #expect(state.sampling.temperatureTenths == 1, "temperature stops at 0.1")
    // A filter key while greedy switches to sampling.
    state.sampling.sampling = false
    _ = update(&state, .key(.character("u")), size: snapshotSize)
    #expect(state.sampling.sampling)
  }

  @Test func snapshots() {
    var model = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
    _ = update(&model, .key(.character("5")), size: (80, 24))
    _ = update(&model, .key(.character("c")), size: (80, 24))
    assertSnapshot(AppView.view(model, size: (80, 24)), depth: .palette256, named: "model-view-entropy-80x24")
    _ = update(&model, .key(.character("r")), size: (80, 24))
    assertSnapshot(AppView.view(model, size: (80, 24)), depth: .palette256, named: "model-view-ranked-80x24")
    assertSnapshot(
      AppView.view(contrastScreenState(), size: snapshotSize), depth: .palette256,
      named: "screen-contrast-100x30")
    var sampled = decodeScreenState()
    sampled.sampling.sampling = true
    sampled.sampling.topK = 2
    var run = sampleDecodeRun()
    for index in run.steps.indices {
      run.steps[index].filtered = FilteredDistribution(
        candidates: [
          TokenProbability(token: run.steps[index].chosen, probability: 0.8),
          TokenProbability(token: "molto", probability: 0.2),
        ], kept: 2)
    }
    sampled.decode.run = run
    assertSnapshot(
      AppView.view(sampled, size: snapshotSize), depth: .palette256, named: "screen-decode-sampled-100x30")
  }
}
