// Whole models against PyTorch: logits, encoder output, and every attention matrix of every layer.
import Foundation
import Safetensors
import TestSupport
import Testing

@testable import Tensors
@testable import Trace
@testable import Transformer

@Suite struct ModelParityTests {
  static let models = ["encdec_post", "decoder_pre_gqa", "encoder_only", "encdec_pre_gqa"]

  func load(_ name: String) throws -> (TransformerModel, SafetensorsFile) {
    let folder = Fixtures.directory.appendingPathComponent("parity/\(name)")
    let data = try Data(contentsOf: folder.appendingPathComponent("config.json"))
    let config = try JSONDecoder().decode(ModelConfig.self, from: data)
    let model = try TransformerModel(
      config: config, weightsPath: folder.appendingPathComponent("model.safetensors").path)
    return (model, try Fixtures.file("parity/\(name)/expected.safetensors"))
  }

  @Test(arguments: models)
  func logitsAndAttentionMatchPyTorch(name: String) throws {
    let (model, expected) = try load(name)
    let recorder = AttentionRecorder()
    let output = try model.forward(
      encoderIDs: expected.contains("encoder_ids") ? try expected.integers("encoder_ids") : nil,
      decoderIDs: expected.contains("decoder_ids") ? try expected.integers("decoder_ids") : nil,
      recorder: recorder)
    expectClose(output.logits.scalars, try expected.floats("logits"), "\(name) logits")
    if expected.contains("hidden.encoder") {
      expectClose(
        output.encoderOutput?.scalars ?? [], try expected.floats("hidden.encoder"), "\(name) encoder output")
    }
    let attentionNames = expected.tensorsInOrder.map(\.name).filter { $0.hasPrefix("attn.") }
    #expect(recorder.entries.count == attentionNames.count, "one trace entry per attention sublayer")
    for entry in recorder.entries {
      let key = "\(entry.stack.rawValue).\(entry.kind.rawValue).\(entry.layer)"
      expectClose(entry.weights, try expected.floats("attn.\(key)"), "\(name) attn.\(key)")
      // Fixture scores are before the mask; the trace marks masked entries −∞ instead.
      let reference = try expected.floats("scores.\(key)")
      let visible = zip(entry.scores, reference).filter { $0.0.isFinite }
      expectClose(visible.map(\.0), visible.map(\.1), "\(name) scores.\(key)")
      let maskedCount = entry.scores.count - visible.count
      let n = entry.queries.count
      #expect(maskedCount == (entry.kind == .masked ? entry.heads * n * (n - 1) / 2 : 0))
    }
  }

  @Test func attentionRowsSumToOne() throws {
    let (model, expected) = try load("encdec_pre_gqa")
    let recorder = AttentionRecorder()
    _ = try model.forward(
      encoderIDs: try expected.integers("encoder_ids"), decoderIDs: try expected.integers("decoder_ids"),
      recorder: recorder)
    #expect(
      Set(recorder.entries.map { "\($0.stack) \($0.kind)" }) == [
        "encoder self", "decoder masked", "decoder cross",
      ])
    for entry in recorder.entries {
      for row in stride(from: 0, to: entry.weights.count, by: entry.keys.count) {
        #expect(abs(entry.weights[row..<(row + entry.keys.count)].reduce(0, +) - 1) < 1e-5)
      }
    }
  }
}
