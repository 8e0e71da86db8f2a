// LLM configs attnscope must refuse on one line naming the file and the key: a family's required
// key left out, a rope scaling it does not implement, heads that do not divide, layer types it
// does not know, options that would change the numbers if ignored.
import Foundation
import HuggingFace
import Testing
import Transformer

@Suite struct LLMBadInputTests {
  /// The message of opening a scratch copy of `fixture` whose config.json `edit` changed.
  func message(_ fixture: String, _ edit: @escaping (inout [String: Any]) -> Void) throws -> String {
    let folder = try HFFixtures.scratchCopy("llm/\(fixture)") { folder in
      let url = folder.appendingPathComponent("config.json")
      var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
      edit(&object)
      try JSONSerialization.data(withJSONObject: object).write(to: url)
    }
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      _ = try HuggingFaceModel(folder: folder)
      return "loaded"
    } catch {
      #expect(!error.description.contains("\n"), "one line")
      return error.description
    }
  }

  @Test(arguments: [
    "hidden_size", "num_attention_heads", "num_hidden_layers", "intermediate_size", "vocab_size",
  ])
  func aMissingRequiredKeyIsNamed(key: String) throws {
    let text = try message("llama") { $0[key] = nil }
    #expect(text == "config.json: missing \"\(key)\"", "\(text)")
  }

  @Test func anUnimplementedRopeScalingIsRefused() throws {
    let text = try message("llama") { $0["rope_scaling"] = ["rope_type": "yarn", "factor": 4.0] }
    #expect(text.contains("rope_scaling type \"yarn\" is not supported (default, linear, llama3)"), "\(text)")
    let nested = try message("llama") { $0["rope_parameters"] = ["rope_type": "dynamic", "rope_theta": 1e4] }
    #expect(nested.contains("rope_parameters type \"dynamic\" is not supported"), "\(nested)")
  }

  @Test func llama3ScalingNeedsItsFactors() throws {
    let text = try message("llama3-rope") {
      var scaling = $0["rope_scaling"] as! [String: Any]
      scaling["low_freq_factor"] = nil
      $0["rope_scaling"] = scaling
    }
    #expect(text.contains("of type \"llama3\" needs \"low_freq_factor\""), "\(text)")
  }

  @Test func headsThatDoNotDivideAreRefused() throws {
    let kv = try message("llama") { $0["num_key_value_heads"] = 3 }
    #expect(kv.contains("num_attention_heads 4 is not divisible by num_key_value_heads 3"), "\(kv)")
    let width = try message("llama") {
      $0["hidden_size"] = 30
      $0["head_dim"] = nil
    }
    #expect(width.contains("hidden_size 30 is not divisible by num_attention_heads 4"), "\(width)")
  }

  @Test func unknownLayerTypesAndBadListsAreRefused() throws {
    let unknown = try message("gemma3") {
      $0["layer_types"] = ["sliding_attention", "chunked_attention", "full_attention"]
    }
    #expect(unknown.contains("layer type \"chunked_attention\" is not supported"), "\(unknown)")
    let short = try message("gemma3") { $0["layer_types"] = ["full_attention"] }
    #expect(short.contains("\"layer_types\" must list one type per layer (3)"), "\(short)")
  }

  @Test func optionsThatWouldChangeTheNumbersAreRefused() throws {
    let bidirectional = try message("gemma3") { $0["use_bidirectional_attention"] = true }
    #expect(bidirectional.contains("use_bidirectional_attention true is not supported"), "\(bidirectional)")
    let quantized = try message("llama") { $0["quantization_config"] = ["quant_method": "gptq"] }
    #expect(quantized.contains("quantization_config"), "\(quantized)")
    let softcap = try message("llama") { $0["final_logit_softcapping"] = 30.0 }
    #expect(softcap.contains("final_logit_softcapping is not supported for llama"), "\(softcap)")
    let activation = try message("qwen2") { $0["hidden_act"] = "xielu" }
    #expect(activation.contains("hidden_act \"xielu\" is not supported"), "\(activation)")
  }

  /// A value quoted from the file cannot break the line or drive the terminal (found by FuzzConfig).
  @Test func quotedValuesAreEscaped() throws {
    let text = try message("llama") { $0["model_type"] = "lla\nma\u{1B}[2J" }
    #expect(text.hasPrefix("config.json: model_type \"lla\\u{0A}ma\\u{1B}[2J\" is not supported"), "\(text)")
    #expect(!text.contains("\u{1B}"))
  }

  @Test func aSizeOutOfRangeIsNamed() throws {
    let text = try message("mistral") { $0["sliding_window"] = 0 }
    #expect(text.contains("\"sliding_window\" must be an integer from 1"), "\(text)")
    let rotary = try message("phi3") { $0["partial_rotary_factor"] = 1.5 }
    #expect(rotary.contains("partial_rotary_factor must be in (0, 1]"), "\(rotary)")
  }
}
