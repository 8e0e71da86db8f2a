// Loading model folders and tracing text, with every bad input reported on one line.
import Foundation
import Testing

@testable import Trace
@testable import Workbench

@Suite struct WorkbenchTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("TransformerTests/Fixtures/parity")

  func fixture(_ name: String) throws -> LoadedModel {
    try LoadedModel(folder: WorkbenchTests.fixtures.appendingPathComponent(name).path)
  }

  /// A copy of a fixture folder that a test may damage.
  func scratchCopy(_ name: String) throws -> URL {
    let destination = FileManager.default.temporaryDirectory.appendingPathComponent(
      "attnscope-\(UUID().uuidString)")
    try FileManager.default.copyItem(
      at: WorkbenchTests.fixtures.appendingPathComponent(name), to: destination)
    return destination
  }

  @Test func encoderDecoderTraceHasEveryKindAndLayer() throws {
    let result = try fixture("encdec_post").trace(text: "w4 w5 w6", target: "w7 w8")
    let kinds = result.trace.attention.map { "\($0.stack.rawValue) \($0.kind.rawValue) \($0.layer)" }
    #expect(
      kinds.sorted() == [
        "decoder cross 0", "decoder cross 1", "decoder masked 0", "decoder masked 1",
        "encoder self 0", "encoder self 1",
      ])
    #expect(result.trace.tokens.encoder == ["w4", "w5", "w6", "</s>"])
    #expect(result.trace.tokens.decoder == ["<s>", "w7", "w8"])
    let cross = result.trace.entries(stack: .decoder, kind: .cross)[0]
    #expect(cross.queries == ["<s>", "w7", "w8"] && cross.keys.count == 4)
  }

  @Test func missingTargetUsesGreedyOutputAndSaysSo() throws {
    let result = try fixture("encdec_post").trace(text: "w4 w5")
    #expect(result.notices.contains { $0.contains("greedy") })
    #expect(result.trace.tokens.decoder?.first == "<s>")
  }

  @Test func decoderOnlyAndEncoderOnly() throws {
    let decoder = try fixture("decoder_pre_gqa").trace(text: "w4 w9")
    #expect(decoder.trace.attention.allSatisfy { $0.kind == .masked })
    #expect(decoder.trace.tokens.decoder == ["<s>", "w4", "w9"])
    let encoder = try fixture("encoder_only").trace(text: "w4 w9 w10")
    #expect(encoder.trace.attention.allSatisfy { $0.kind == .self && $0.heads == 3 })
  }

  @Test func unknownWordsAndTruncationAreNoticed() throws {
    let model = try fixture("encoder_only")  // max_positions 16
    let result = try model.trace(text: (0..<40).map { "w\($0 % 20 + 4)" }.joined(separator: " ") + " zebra")
    #expect(result.notices.contains { $0.contains("truncated from 41 to 16") })
    let unknown = try model.trace(text: "w4 zebra")
    #expect(unknown.notices.contains { $0.contains("zebra") })
    #expect(unknown.trace.tokens.encoder == ["w4", "<unk>"])
  }

  @Test func emptyInputIsAnError() throws {
    #expect(throws: (any Error).self) { try fixture("encoder_only").trace(text: "   ") }
    do { _ = try fixture("encoder_only").trace(text: "") } catch {
      #expect("\(error)".contains("nothing to show"))
    }
  }

  @Test func brokenFoldersGiveOneLineMessages() throws {
    func message(_ damage: (URL) throws -> Void, folder: String = "encdec_post") throws -> String {
      let copy = try scratchCopy(folder)
      defer { try? FileManager.default.removeItem(at: copy) }
      try damage(copy)
      do {
        _ = try LoadedModel(folder: copy.path)
        return "loaded"
      } catch { return error.description }
    }
    let config = { (url: URL) in url.appendingPathComponent("config.json") }
    #expect(try message { _ = $0 } == "loaded")
    #expect(
      try message { try FileManager.default.removeItem(at: config($0)) }.contains("config.json: cannot read"))
    #expect(
      try message { try Data("{".utf8).write(to: config($0)) }
        == "config.json: not valid JSON: unexpected end of input at line 1, column 2 (byte 1)")
    #expect(
      try message { url in
        let text = try String(contentsOf: config(url), encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"num_heads\": 4", with: "\"num_heads\": 3").utf8).write(
          to: config(url))
      } == "config.json: d_model 32 is not divisible by num_heads 3")
    #expect(
      try message { url in
        let text = try String(contentsOf: config(url), encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"ffn_dim\": 64", with: "\"ffn_dim\": 32").utf8).write(
          to: config(url))
      }.hasPrefix("model.safetensors: tensor 'encoder.layers.0.ffn.fc1."))
    #expect(
      try message { try FileManager.default.removeItem(at: $0.appendingPathComponent("target_vocab.txt")) }
        .hasPrefix("target_vocab.txt: cannot read "))
    #expect(
      try message { url in
        let vocab = url.appendingPathComponent("source_vocab.txt")
        let text = try String(contentsOf: vocab, encoding: .utf8)
        try Data((text + "extra\n").utf8).write(to: vocab)
      } == "source_vocab.txt has 25 tokens, config.json's vocabulary size is 24")
    #expect(
      try message { url in
        let weights = url.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: weights)
        try bytes.prefix(bytes.count - 10).write(to: weights)
      }.hasPrefix("model.safetensors: "))
    #expect(throws: (any Error).self) { try LoadedModel(folder: "/nonexistent/model") }
  }
}
