// AttentionTrace: entries by stack and kind, and `attention --layer L --head H`'s selection.
import Testing
import Trace

/// Two encoder layers and one decoder cross layer, two heads each; head h of layer l has every
/// weight 10·l + h, so a kept slice shows where it came from.
func sampleTrace() -> AttentionTrace {
  func entry(_ stack: AttentionStack, _ kind: AttentionKind, layer: Int) -> AttentionEntry {
    let weights = (0..<2).flatMap { head in [Float](repeating: Float(10 * layer + head), count: 4) }
    return AttentionEntry(
      stack: stack, kind: kind, layer: layer, heads: 2, queries: ["a", "b"], keys: ["a", "b"],
      weights: weights, scores: weights.map { -$0 }, vectors: twoTokenVectors)
  }
  return AttentionTrace(
    model: "toy", tokens: TokenLabels(encoder: ["a", "b"], decoder: ["a", "b"]),
    attention: [
      entry(.encoder, .self, layer: 1), entry(.decoder, .cross, layer: 0), entry(.encoder, .self, layer: 0),
    ])
}

/// Two heads over two tokens with d_k 2.
let twoTokenVectors = HeadVectors(
  headDim: 2, queries: (0..<8).map(Float.init), keys: (8..<16).map(Float.init),
  values: (16..<24).map(Float.init), outputs: (24..<32).map(Float.init))

@Suite struct TraceSelectionTests {
  @Test func entriesAreOrderedByLayerAndKindsByStack() {
    let trace = sampleTrace()
    #expect(trace.entries(stack: .encoder, kind: .self).map(\.layer) == [0, 1])
    #expect(trace.entries(stack: .decoder, kind: .masked).isEmpty)
    #expect(trace.availableKinds.map { "\($0.stack) \($0.kind)" } == ["encoder self", "decoder cross"])
  }

  @Test func aLayerAndHeadKeepOnlyThatSlice() throws {
    let selected = try sampleTrace().selecting(layer: 1, head: 1)
    #expect(selected.attention.count == 1)
    let entry = selected.attention[0]
    #expect(entry.layer == 1 && entry.heads == 1 && entry.stack == .encoder)
    #expect(entry.weights == [11, 11, 11, 11] && entry.scores == [-11, -11, -11, -11])
    #expect(entry.vectors == nil, "one head's slice would not match the recorded vectors")
    #expect(selected.model == "toy" && selected.tokens == sampleTrace().tokens)
  }

  @Test func onlyALayerKeepsEveryHeadAndTheVectors() throws {
    let selected = try sampleTrace().selecting(layer: 0, head: nil)
    #expect(selected.attention.map { "\($0.stack) \($0.layer)" } == ["decoder 0", "encoder 0"])
    #expect(selected.attention.allSatisfy { $0.heads == 2 && $0.vectors == twoTokenVectors })
    #expect(try sampleTrace().selecting(layer: nil, head: nil) == sampleTrace())
  }

  @Test func onlyAHeadCutsEveryLayer() throws {
    let selected = try sampleTrace().selecting(layer: nil, head: 0)
    #expect(selected.attention.map { $0.weights[0] } == [10, 0, 0])
  }

  @Test func outOfRangeNamesWhatTheModelHas() {
    let layer = #expect(throws: AttentionTrace.SelectionError.self) {
      try sampleTrace().selecting(layer: 2, head: nil)
    }
    #expect(layer?.description == "--layer 3 is out of range: toy has layers 1–2")
    let head = #expect(throws: AttentionTrace.SelectionError.self) {
      try sampleTrace().selecting(layer: 0, head: 2)
    }
    #expect(head?.description == "--head 3 is out of range: toy has heads 1–2")
  }
}

@Suite struct HeadVectorsTests {
  @Test func rowsAreHeadMajorThenToken() {
    let v = twoTokenVectors
    #expect(v.query(head: 0, index: 1, queryCount: 2) == [2, 3])
    #expect(v.query(head: 1, index: 0, queryCount: 2) == [4, 5])
    #expect(v.key(head: 1, index: 1, keyCount: 2) == [14, 15])
    #expect(v.value(head: 0, index: 0, keyCount: 2) == [16, 17])
    #expect(v.output(head: 1, index: 1, queryCount: 2) == [30, 31])
  }

  @Test func matchesChecksEveryShape() {
    let v = twoTokenVectors
    #expect(v.matches(heads: 2, queryCount: 2, keyCount: 2))
    #expect(!v.matches(heads: 1, queryCount: 2, keyCount: 2))
    #expect(!v.matches(heads: 2, queryCount: 2, keyCount: 3), "keys are checked apart from queries")
    var fewerKeys = v
    fewerKeys.values.removeLast(2)
    #expect(!fewerKeys.matches(heads: 2, queryCount: 2, keyCount: 2))
    #expect(
      !HeadVectors(headDim: 0, queries: [], keys: [], values: [], outputs: []).matches(
        heads: 0, queryCount: 0, keyCount: 0), "d_k 0 is never a real head")
  }
}
