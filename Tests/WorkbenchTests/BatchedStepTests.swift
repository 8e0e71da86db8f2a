// The batched decoding step against the one-at-a-time reference, on every architecture with a
// decoder: same logits (≤ 1e-5), same recorded attention, and caches that continue the same way.
import Decoding
import Foundation
import Testing

@testable import Trace
@testable import Workbench

@Suite struct BatchedStepTests {
  func fixture(_ name: String) throws -> LoadedModel {
    try LoadedModel(folder: WorkbenchTests.fixtures.appendingPathComponent(name).path)
  }

  /// Hypotheses of different lengths (0, 1, 2, 3 tokens after the first), as a beam never has, so
  /// each row needs its own position and its own cache length.
  func unevenStates(_ model: CachedStepModel, first: Int) throws -> [CachedStepModel.State] {
    var states: [CachedStepModel.State] = []
    for length in 0..<4 {
      var state = try model.start()
      _ = try model.step(&state, token: first)
      for position in 0..<length { _ = try model.step(&state, token: 4 + (position + length) % 5) }
      states.append(state)
    }
    return states
  }

  func expectSame(_ batched: [StepOutput], _ single: [StepOutput], _ what: String) {
    #expect(batched.count == single.count)
    for (b, s) in zip(batched, single) {
      let diff = zip(b.logProbs, s.logProbs).map { abs($0 - $1) }.max() ?? 0
      #expect(
        diff <= 1e-5,
        "\(what): max |Δ log-prob| \(diff); first \(b.logProbs.prefix(3)) vs \(s.logProbs.prefix(3))")
      #expect(b.attention.count == s.attention.count)
      for (p, q) in zip(b.attention, s.attention) {
        #expect(p.kind == q.kind && p.layer == q.layer && p.queries == q.queries && p.keys == q.keys)
        #expect(p.weights.count == q.weights.count && p.scores.count == q.scores.count)
        let weights = zip(p.weights, q.weights).map { abs($0 - $1) }.max() ?? 0
        let scores = zip(p.scores, q.scores).map { abs($0 - $1) }.max() ?? 0
        #expect(
          weights <= 1e-5 && scores <= 1e-4, "\(what) \(p.kind) layer \(p.layer): Δ \(weights), \(scores)")
      }
    }
  }

  @Test(arguments: ["encdec_post", "encdec_pre_gqa", "decoder_pre_gqa"])
  func batchedStepEqualsOneByOne(name: String) throws {
    let loaded = try fixture(name)
    let source = try loaded.decodingSource(text: "w4 w5 w6")
    let model = CachedStepModel(loaded.model, source: source, label: loaded.label)
    let states = try unevenStates(model, first: source.firstToken)
    let tokens = [5, 6, 7, 8]
    var batchedStates = states
    let batched = try model.stepBatch(&batchedStates, tokens: tokens)
    var singleStates = states
    let single = try tokens.indices.map { try model.step(&singleStates[$0], token: tokens[$0]) }
    expectSame(batched, single, name)
    #expect(batchedStates.map(\.cache.labels) == singleStates.map(\.cache.labels))
    // The caches the batch wrote continue exactly like the reference's.
    let next = try batchedStates.indices.map { try model.step(&batchedStates[$0], token: 9) }
    let reference = try singleStates.indices.map { try model.step(&singleStates[$0], token: 9) }
    expectSame(next, reference, "\(name), the step after")
  }

  @Test func beamSearchBatchedEqualsOneByOne() throws {
    let (folder, name) = try #require(ModelCatalog.resolve("en-it"))
    let loaded = try LoadedModel(folder: folder, name: name)
    for text in ["i love you very much", "the red cat sees the dog"] {
      let source = try loaded.decodingSource(text: text)
      let options = DecodingOptions(startToken: source.firstToken, endToken: 2, maxLength: 12)
      let model = CachedStepModel(loaded.model, source: source, label: loaded.label)
      for width in [2, 8] {
        let batched = try BeamSearch.decode(model, width: width, options: options)
        let single = try BeamSearch.decode(OneByOne(model: model), width: width, options: options)
        #expect(batched.hypotheses.map(\.tokens) == single.hypotheses.map(\.tokens))
        #expect(batched.origins == single.origins)
        for (a, b) in zip(batched.scores, single.scores) { #expect(abs(a - b) <= 1e-5) }
        #expect(batched.steps.count == single.steps.count)
        for (a, b) in zip(batched.steps, single.steps) {
          #expect(a.hypotheses.map(\.chosen) == b.hypotheses.map(\.chosen))
          #expect(a.hypotheses.map(\.parent) == b.hypotheses.map(\.parent))
        }
      }
    }
  }
}

/// A step model that hides its batched step, so beam search falls back to the protocol's default
/// (one `step` per hypothesis).
struct OneByOne: StepModel {
  let model: CachedStepModel
  var vocabularySize: Int { model.vocabularySize }
  func start() throws -> CachedStepModel.State { try model.start() }
  func step(_ state: inout CachedStepModel.State, token: Int) throws -> StepOutput {
    try model.step(&state, token: token)
  }
}
