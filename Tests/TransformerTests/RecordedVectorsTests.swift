// The q, k, v vectors a recorder keeps for the Q·K detail screen reproduce the recorded attention:
// softmax(q·k/√d_k) equals the weights and Σ_j p_j·v_j the head's output (Vaswani et al. 2017, eq. 1).
import Foundation
import Testing

@testable import Trace
@testable import Transformer

@Suite struct RecordedVectorsTests {
  /// Encoder-decoder post-norm, decoder-only with grouped-query attention (shared key heads).
  @Test(arguments: ["encdec_post", "decoder_pre_gqa"])
  func vectorsReproduceWeightsAndOutputs(name: String) throws {
    let folder = Fixtures.directory.appendingPathComponent("parity/\(name)")
    let config = try JSONDecoder().decode(
      ModelConfig.self, from: Data(contentsOf: folder.appendingPathComponent("config.json")))
    let model = try TransformerModel(
      config: config, weightsPath: folder.appendingPathComponent("model.safetensors").path)
    let expected = try Fixtures.file("parity/\(name)/expected.safetensors")
    let encoderIDs = expected.contains("encoder_ids") ? try expected.integers("encoder_ids") : nil
    let decoderIDs = try expected.integers("decoder_ids")

    let plain = AttentionRecorder()
    _ = try model.forward(encoderIDs: encoderIDs, decoderIDs: decoderIDs, recorder: plain)
    #expect(plain.entries.allSatisfy { $0.vectors == nil }, "vectors only when asked for")
    let recorder = AttentionRecorder(recordsVectors: true)
    _ = try model.forward(encoderIDs: encoderIDs, decoderIDs: decoderIDs, recorder: recorder)
    #expect(recorder.entries.map(\.weights) == plain.entries.map(\.weights), "recording changes nothing")

    for entry in recorder.entries {
      let vectors = try #require(entry.vectors)
      let (nq, nk, dk) = (entry.queries.count, entry.keys.count, vectors.headDim)
      #expect(dk == config.headDim)
      var worstWeight: Float = 0
      var worstOutput: Float = 0
      for h in 0..<entry.heads {
        for i in 0..<nq {
          let q = vectors.query(head: h, index: i, queryCount: nq)
          var scores = (0..<nk).map { j -> Float in
            let k = vectors.key(head: h, index: j, keyCount: nk)
            return zip(q, k).map(*).reduce(0, +) / Float(dk).squareRoot()
          }
          for j in 0..<nk where entry.isMasked(head: h, query: i, key: j) { scores[j] = -.infinity }
          let top = scores.max()!
          let exps = scores.map { exp($0 - top) }
          let total = exps.reduce(0, +)
          var output = [Float](repeating: 0, count: dk)
          for j in 0..<nk {
            let p = exps[j] / total
            worstWeight = max(worstWeight, abs(p - entry.weight(head: h, query: i, key: j)))
            for (d, value) in vectors.value(head: h, index: j, keyCount: nk).enumerated() {
              output[d] += entry.weight(head: h, query: i, key: j) * value
            }
          }
          for (a, b) in zip(output, vectors.output(head: h, index: i, queryCount: nq)) {
            worstOutput = max(worstOutput, abs(a - b))
          }
        }
      }
      #expect(worstWeight < 1e-5, "\(name) \(entry.title): max |Δp| \(worstWeight)")
      #expect(worstOutput < 1e-5, "\(name) \(entry.title): max |Δoutput| \(worstOutput)")
    }
  }

  @Test func vectorsSurviveJSON() throws {
    let vectors = HeadVectors(
      headDim: 2, queries: [1, 2, 3, 4], keys: [5, 6, 7, 8, 9, 10, 11, 12],
      values: [0, 1, 1, 0, 2, 2, 3, 3], outputs: [0.5, 0.5, 1, 1])
    let entry = AttentionEntry(
      stack: .encoder, kind: .self, layer: 0, heads: 2, queries: ["a"], keys: ["a", "b"],
      weights: [0.5, 0.5, 0.25, 0.75], scores: [0, 0, 1, 2], vectors: vectors)
    let data = try JSONEncoder().encode(entry)
    #expect(String(decoding: data, as: UTF8.self).contains("\"head_dim\":2"))
    #expect(try JSONDecoder().decode(AttentionEntry.self, from: data) == entry)
    var without = entry
    without.vectors = nil
    let plain = String(decoding: try JSONEncoder().encode(without), as: UTF8.self)
    #expect(!plain.contains("vectors"), "the original schema when nothing was recorded")
  }
}
