// config.json problems are refused with one line naming the values that disagree.
import Foundation
import Testing

@testable import Transformer

@Suite struct ConfigValidationTests {
  /// Validates the base config with one key replaced (`edit` is `"key": value`).
  func problem(_ edit: String) throws -> String? {
    var fields = [
      #""architecture": "encoder-decoder""#, #""d_model": 32"#, #""num_heads": 4"#, #""ffn_dim": 64"#,
      #""encoder_layers": 2"#, #""decoder_layers": 2"#, #""source_vocab_size": 20"#,
      #""target_vocab_size": 20"#, #""max_positions": 16"#, #""positional": "sinusoidal""#,
      #""norm": "post""#, #""activation": "relu""#,
    ]
    if let key = edit.split(separator: ":").first {
      fields.removeAll { $0.hasPrefix(key + ":") }
      fields.append(edit)
    }
    let json = "{" + fields.joined(separator: ", ") + "}"
    let config = try ModelConfig(jsonText: json)
    do { try config.validate() } catch { return error.description }
    return nil
  }

  /// The decoding error of the base config with one key replaced (nil when it decodes).
  func decodingProblem(_ edit: String) -> String? {
    do {
      _ = try problem(edit)
      return nil
    } catch { return "\(error)" }
  }

  @Test func validConfigPasses() throws { #expect(try problem("") == nil) }

  @Test(arguments: [
    (#""num_heads": 3"#, "config.json: d_model 32 is not divisible by num_heads 3"),
    (#""num_kv_heads": 3"#, "config.json: num_heads 4 is not divisible by num_kv_heads 3"),
    (#""ffn_dim": 0"#, "config.json: ffn_dim must be positive, got 0"),
    (#""max_positions": 0"#, "config.json: max_positions 0 out of range"),
    (#""decoder_layers": 0"#, "config.json: decoder_layers must be positive"),
    (#""encoder_layers": 100000"#, "config.json: more than 1024 layers"),
    (#""target_vocab_size": 3"#, "config.json: decoder vocabulary size missing or < 5"),
    (#""source_vocab_size": 99999999"#, "config.json: vocabulary size above 10,000,000"),
    (#""layer_norm_eps": -1"#, "config.json: layer_norm_eps must be positive"),
    (#""tokenizer": "bpe""#, "config.json: unknown tokenizer \"bpe\""),
    // Fuzzing regression: d_model × ffn_dim used to overflow Int and trap.
    (#""d_model": 366666666662"#, "config.json: d_model 366666666662 out of range (at most 65536)"),
    (
      #""ffn_dim": 9223372036854775807"#,
      "config.json: ffn_dim 9223372036854775807 out of range (at most 1048576)"
    ),
  ])
  func problemsAreNamed(edit: String, message: String) throws {
    #expect(try problem(edit) == message)
  }

  @Test(arguments: [
    (#""d_model": 32.5"#, #"config.json: "d_model": expected a whole number, found 32.5"#),
    (#""d_model": "32""#, #"config.json: "d_model": expected a whole number, found a string "32""#),
    (#""norm": "middle""#, #"config.json: "norm": invalid value "middle""#),
    (
      #""layer_norm_eps": 1e300"#,
      #"config.json: "layer_norm_eps": expected a number within Float's range, found 1e300"#
    ),
    (
      #""vision": {"image_size": 8, "patch_size": 4, "class_names": "cat"}"#,
      #"config.json: "vision.class_names": expected an array, found a string "cat""#
    ),
    (#""vision": {"image_size": 8, "patch_size": 4}"#, #"config.json: missing "vision.class_names""#),
  ])
  func decodingProblemsNameTheKey(edit: String, message: String) {
    #expect(decodingProblem(edit) == message)
  }

  @Test func aByteOrderMarkIsNamed() {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"architecture": "vit"}"#.utf8)
    #expect(throws: ModelError.self) { try ModelConfig(jsonBytes: bytes) }
    do { _ = try ModelConfig(jsonBytes: bytes) } catch {
      #expect(error.description.hasPrefix("config.json: not valid JSON: starts with a UTF-8 byte order mark"))
    }
    #expect(decodingProblem(#""d_model": 32"#) == nil)
  }

  @Test func wrongTypesAndUnknownValuesFailToDecode() {
    for bad in [#"{"architecture": "rnn"}"#, #"{"architecture": "encoder-only", "d_model": "32"}"#, "[]", ""]
    {
      #expect(throws: ModelError.self) { try ModelConfig(jsonText: bad) }
    }
  }
}
