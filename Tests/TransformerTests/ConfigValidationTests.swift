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
    if !edit.isEmpty {
      // Every top-level key the edit names replaces the base's.
      let keys = edit.matches(of: /"([a-z_]+)":/).map { "\"\($0.1)\":" }
      fields.removeAll { field in keys.contains { field.hasPrefix($0) } }
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
    (#""ffn_dim": 0"#, "config.json: \"ffn_dim\" must be an integer from 1 to 1048576, got 0"),
    (#""max_positions": 0"#, "config.json: \"max_positions\" must be an integer from 1 to 1048576, got 0"),
    (#""decoder_layers": 0"#, "config.json: decoder_layers must be positive"),
    (
      #""encoder_layers": 100000"#,
      "config.json: \"encoder_layers\" must be an integer from 0 to 1024, got 100000"
    ),
    (#""target_vocab_size": 3"#, "config.json: decoder vocabulary size missing or < 5"),
    (
      #""source_vocab_size": 99999999"#,
      "config.json: \"source_vocab_size\" must be an integer from 1 to 10000000, got 99999999"
    ),
    (#""layer_norm_eps": -1"#, "config.json: layer_norm_eps must be positive"),
    (#""tokenizer": "bpe""#, "config.json: unknown tokenizer \"bpe\""),
    (#""num_heads": -4"#, "config.json: \"num_heads\" must be an integer from 1 to 4096, got -4"),
    (
      #""token_type_vocab_size": -1"#,
      "config.json: \"token_type_vocab_size\" must be an integer from 0 to 1024, got -1"
    ),
    // A 67 MB folder must not make the engine compute an 8 GB sinusoidal table.
    (
      #""max_positions": 1048576, "d_model": 2048, "num_heads": 8, "ffn_dim": 64"#,
      "config.json: the sinusoidal position table would be 1048576 × 2048 = 2147483648 values, more than the "
        + "67108864 (256 MB) attnscope computes for a table"
    ),
    // Fuzzing regression: d_model × ffn_dim used to overflow Int and trap.
    (
      #""d_model": 366666666662"#,
      "config.json: \"d_model\" must be an integer from 1 to 65536, got 366666666662"
    ),
    (
      #""ffn_dim": 9223372036854775807"#,
      "config.json: \"ffn_dim\" must be an integer from 1 to 1048576, got 9223372036854775807"
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

  /// A ViT config with `vision` replaced; the validation message, or the decoding one.
  func visionProblem(_ vision: String, positions: Int = 5) -> String? {
    let json = """
      {"architecture": "vit", "d_model": 16, "num_heads": 2, "ffn_dim": 32, "encoder_layers": 1,
       "max_positions": \(positions), "positional": "learned", "norm": "pre", "activation": "gelu",
       "vision": \(vision)}
      """
    do {
      try ModelConfig(jsonText: json).validate()
      return nil
    } catch { return error.description }
  }

  @Test func visionSizesAreCheckedBeforeUse() {
    #expect(visionProblem(#"{"image_size": 8, "patch_size": 4, "class_names": ["a"]}"#) == nil)
    // These used to trap: an array sized from a negative or huge channel count, a patch count that
    // overflows.
    #expect(
      visionProblem(#"{"image_size": 8, "patch_size": 4, "num_channels": -1, "class_names": ["a"]}"#)
        == "config.json: vision.num_channels must be 1 or 3")
    #expect(
      visionProblem(
        #"{"image_size": 8, "patch_size": 4, "num_channels": 1000000000000, "class_names": ["a"]}"#)
        == "config.json: vision.num_channels must be 1 or 3")
    #expect(
      visionProblem(#"{"image_size": 4294967296, "patch_size": 1, "class_names": ["a"]}"#)
        == "config.json: \"vision.image_size\" must be an integer from 1 to 4096, got 4294967296")
    #expect(
      visionProblem(#"{"image_size": 8, "patch_size": -4, "class_names": ["a"]}"#)
        == "config.json: \"vision.patch_size\" must be an integer from 1 to 4096, got -4")
    #expect(
      visionProblem(#"{"image_size": 8, "patch_size": 4, "class_names": "a"}"#)
        == #"config.json: "vision.class_names": expected an array, found a string "a""#)
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
