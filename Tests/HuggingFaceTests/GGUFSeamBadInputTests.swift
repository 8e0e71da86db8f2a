// GGUF files whose metadata disagrees with their tensors or with the engine's limits, refused on
// one line by the model seam (the container's own checks are Tests/GGUFTests): a block count past
// ConfigLimits (llama.cpp #25821), a width the tensors do not have, an architecture not supported.
import Foundation
import GGUF
import HuggingFace
import JSON
import Testing
import Transformer

@testable import Workbench

@Suite struct GGUFSeamBadInputTests {
  static let path = HFFixtures.folder("gguf/llama-q4_1").appendingPathComponent("model.gguf").path

  /// Opens the fixture with its metadata-derived config edited by `edit`.
  func message(_ edit: (inout [String: JSONValue]) -> Void) throws -> String {
    let file = try GGUFFile.load(path: Self.path)
    let config = try GGUFConfig.configJSON(file, architecture: try GGUFConfig.architecture(file))
    var object: [String: JSONValue] = [:]
    for member in config.objectMembers ?? [] { object[member.key] = member.value }
    edit(&object)
    let edited = JSONValue.members(object)
    do {
      _ = try HuggingFaceModel(
        source: URL(fileURLWithPath: Self.path), config: edited,
        checkpoint: try GGUFCheckpoint(file: file, architecture: "llama", config: edited),
        generationFolder: nil, origin: "GGUF")
      return "loaded"
    } catch {
      #expect(!error.description.contains("\n"))
      return error.description
    }
  }

  @Test func theFixtureLoadsUnedited() throws {
    #expect(try message { _ in } == "loaded")
  }

  @Test func aBlockCountPastTheLimitIsRefusedBeforeAnythingIsBuilt() throws {
    let text = try message { $0["num_hidden_layers"] = .number(JSONNumber(1 << 40)) }
    #expect(text.contains("\"num_hidden_layers\" must be an integer from 0 to 1024"), "\(text)")
  }

  @Test func aWidthTheTensorsDoNotHaveIsNamed() throws {
    let text = try message { $0["hidden_size"] = .number(JSONNumber(64)) }
    #expect(text.contains("model.gguf: tensor 'model.embed_tokens.weight' has shape [470, 32]"), "\(text)")
  }

  /// Llama 3.1's rope_freqs (GGUFConfig.ropeFrequencyFactors) must have one positive divisor per
  /// rotated pair; head_dim 8 here, so 4.
  @Test func ropeFrequencyFactorsOfTheWrongCountOrSignAreNamed() throws {
    func factors(_ values: [Double]) -> (inout [String: JSONValue]) -> Void {
      { object in
        object["rope_scaling"] = .members([
          "rope_type": .string("frequency_factors"), "factors": .array(values.map { .double($0) }),
        ])
      }
    }
    #expect(try message(factors([1, 2, 4, 8])) == "loaded")
    let short = try message(factors([1, 2]))
    #expect(short.contains("rotary has 2 frequency factors for 4 rotated pairs"), "\(short)")
    let zero = try message(factors([1, 0, 4, 8]))
    #expect(zero.contains("rotary frequency factors must be positive numbers, got 0.0"), "\(zero)")
  }

  @Test func anUnsupportedArchitectureIsNamed() throws {
    #expect(GGUFConfig.modelTypes["falcon"] == nil)
    let text = try message { $0["model_type"] = .string("falcon") }
    #expect(text.contains("model_type \"falcon\" is not supported"), "\(text)")
  }
}
