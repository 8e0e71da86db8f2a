// Mistral (models/mistral/modeling_mistral.py): Llama's blocks with sliding-window attention in
// every layer when `sliding_window` is set (Jiang et al. 2023, §2).
import Foundation
import Transformer

enum MistralFamily: ArchitectureFamily {
  static let modelType = "mistral"
  static let traits = DecoderLLMTraits(modelType: modelType, sliding: .everyLayer)

  static func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, folder: URL) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
  {
    try traits.engine(json, checkpoint: checkpoint)
  }
}
