// Incremental decoding with the KV cache against the full forward pass: logits, attention, greedy ids.
import Foundation
import Safetensors
import TestSupport
import Testing

@testable import Tensors
@testable import Trace
@testable import Transformer

@Suite struct KVCacheTests {
  static let models = ["encdec_post", "decoder_pre_gqa", "encdec_pre_gqa"]

  func load(_ name: String) throws -> (TransformerModel, encoderIDs: [Int]?, decoderIDs: [Int]) {
    let folder = Fixtures.directory.appendingPathComponent("parity/\(name)")
    let data = try Data(contentsOf: folder.appendingPathComponent("config.json"))
    let config = try JSONDecoder().decode(ModelConfig.self, from: data)
    let model = try TransformerModel(
      config: config, weightsPath: folder.appendingPathComponent("model.safetensors").path)
    let expected = try Fixtures.file("parity/\(name)/expected.safetensors")
    let encoderIDs = expected.contains("encoder_ids") ? try expected.integers("encoder_ids") : nil
    return (model, encoderIDs, try expected.integers("decoder_ids"))
  }

  func memory(_ model: TransformerModel, _ encoderIDs: [Int]?) throws -> CrossKVCache? {
    try encoderIDs.map { try model.encodeForDecoding(encoderIDs: $0) }
  }

  @Test(arguments: models)
  func tokenByTokenEqualsFullForward(name: String) throws {
    let (model, encoderIDs, decoderIDs) = try load(name)
    let full = try model.forward(encoderIDs: encoderIDs, decoderIDs: decoderIDs).logits  // [n, V]
    let memory = try memory(model, encoderIDs)
    var cache = model.makeDecoderCache()
    var rows: [Float] = []
    for id in decoderIDs {
      rows += try model.decodeStep(token: id, cache: &cache, encoderMemory: memory)
    }
    expectClose(rows, full.scalars, tolerance: 1e-5, "\(name) incremental logits")
    #expect(cache.length == decoderIDs.count)
    #expect(cache.layers.allSatisfy { $0.length == decoderIDs.count })
  }

  @Test(arguments: models)
  func chunkedStepsEqualFullForward(name: String) throws {
    let (model, encoderIDs, decoderIDs) = try load(name)
    let full = try model.forward(encoderIDs: encoderIDs, decoderIDs: decoderIDs).logits
    var cache = model.makeDecoderCache()
    let split = decoderIDs.count / 2
    let memory = try memory(model, encoderIDs)
    let first = try model.decodeStep(
      tokens: Array(decoderIDs[..<split]), cache: &cache, encoderMemory: memory)
    let second = try model.decodeStep(
      tokens: Array(decoderIDs[split...]), cache: &cache, encoderMemory: memory)
    expectClose(first.scalars + second.scalars, full.scalars, tolerance: 1e-5, "\(name) chunked logits")
  }

  @Test(arguments: models)
  func newPositionAttentionIsTheLastRowOfTheFullTrace(name: String) throws {
    let (model, encoderIDs, decoderIDs) = try load(name)
    let fullRecorder = AttentionRecorder()
    _ = try model.forward(encoderIDs: encoderIDs, decoderIDs: decoderIDs, recorder: fullRecorder)
    let memory = try memory(model, encoderIDs)
    var cache = model.makeDecoderCache()
    _ = try model.decodeStep(
      tokens: Array(decoderIDs.dropLast()), cache: &cache, encoderMemory: memory)
    let recorder = AttentionRecorder()
    _ = try model.decodeStep(
      token: decoderIDs.last!, cache: &cache, encoderMemory: memory, recorder: recorder)
    let decoderEntries = fullRecorder.entries.filter { $0.stack == .decoder }
    #expect(recorder.entries.count == decoderEntries.count)
    let n = decoderIDs.count
    for (step, whole) in zip(recorder.entries, decoderEntries) {
      #expect(step.kind == whole.kind && step.layer == whole.layer)
      #expect(step.queries == [whole.queries.last!] && step.keys == whole.keys)
      let k = whole.keys.count
      var lastRows: [Float] = []
      for h in 0..<whole.heads {
        let start: Int = (h * n + n - 1) * k
        lastRows += whole.weights[start..<(start + k)]
      }
      expectClose(step.weights, lastRows, tolerance: 1e-5, "\(name) \(whole.title)")
    }
  }

  @Test(arguments: models)
  func cachedGreedyEqualsRecomputedGreedy(name: String) throws {
    let (model, encoderIDs, _) = try load(name)
    let start = 1
    let end = 2
    // The obviously-correct reference: the whole prefix through `forward` at every step.
    var reference: [Int] = []
    while reference.count < 12 {
      let logits = try model.forward(encoderIDs: encoderIDs, decoderIDs: [start] + reference).logits  // [n, V]
      let next = TransformerModel.argmax(logits.row(logits.rows - 1))
      if next == end { break }
      reference.append(next)
    }
    let memory = try memory(model, encoderIDs)
    var cache = model.makeDecoderCache()
    var ids: [Int] = []
    var next = start
    while ids.count < 12 {
      let logits = try model.decodeStep(token: next, cache: &cache, encoderMemory: memory)
      next = TransformerModel.argmax(logits[...])
      if next == end { break }
      ids.append(next)
    }
    #expect(ids == reference)
  }

  @Test func copiesAreIndependent() throws {
    let (model, encoderIDs, decoderIDs) = try load("encdec_pre_gqa")
    let memory = try memory(model, encoderIDs)
    var cache = model.makeDecoderCache()
    _ = try model.decodeStep(tokens: Array(decoderIDs.prefix(2)), cache: &cache, encoderMemory: memory)
    var branch = cache.copy()
    let before = cache
    let fromBranch = try model.decodeStep(token: 5, cache: &branch, encoderMemory: memory)
    #expect(cache == before, "stepping a copy leaves the original untouched")
    #expect(branch.length == 3 && cache.length == 2)
    var again = cache.copy()
    let fromOriginal = try model.decodeStep(token: 5, cache: &again, encoderMemory: memory)
    #expect(fromBranch == fromOriginal)
    var layer = LayerKVCache(width: 2)
    let copy = layer.copy()
    layer.append(
      keys: Tensor(shape: [1, 2], scalars: [1, 2]), values: Tensor(shape: [1, 2], scalars: [3, 4]))
    #expect(copy.length == 0 && layer.length == 1 && layer.values.scalars == [3, 4])
  }

  @Test func positionTableOverflowIsAnError() throws {
    let (model, _, _) = try load("decoder_pre_gqa")
    var cache = model.makeDecoderCache()
    let ids = Array(repeating: 3, count: model.config.maxPositions)
    _ = try model.decodeStep(tokens: ids, cache: &cache, encoderMemory: nil)
    #expect(throws: ModelError.self) {
      _ = try model.decodeStep(token: 3, cache: &cache, encoderMemory: nil)
    }
  }
}
