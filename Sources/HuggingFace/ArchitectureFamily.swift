// One Hugging Face architecture family per file (BertMapping.swift, GPT2Mapping.swift …), in the
// style of mlx-swift-lm's Models/*.swift: the family maps config.json's keys onto attnscope's
// `ModelConfig` and the checkpoint's tensor names onto the engine's. A new family is one new file
// conforming to `ArchitectureFamily` and one line in `ArchitectureFamilies.all`.
import Foundation
import Transformer

/// A `model_type` attnscope can open.
protocol ArchitectureFamily: Sendable {
  /// config.json's "model_type".
  static var modelType: String { get }
  /// The engine configuration and the weight mapping this folder's config and checkpoint imply;
  /// an option the engine does not implement is refused on one line naming it.
  static func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, folder: URL) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
}

enum ArchitectureFamilies {
  static let all: [any ArchitectureFamily.Type] = [
    BertMapping.self, GPT2Mapping.self, MarianMapping.self, ViTMapping.self, LlamaFamily.self,
    MistralFamily.self, Qwen2Family.self, Qwen3Family.self, Gemma3Family.self, Phi3Family.self,
  ]

  static func family(_ modelType: String) throws(ModelError) -> any ArchitectureFamily.Type {
    guard let family = all.first(where: { $0.modelType == modelType }) else {
      throw ModelError(
        "config.json: model_type \"\(modelType)\" is not supported (supported: "
          + all.map { $0.modelType }.joined(separator: ", ") + ")")
    }
    return family
  }
}
