// Qwen 3 (models/qwen3/modeling_qwen3.py): Llama's blocks with an RMSNorm over each head's query
// and key before the rotation, an explicit head_dim, and Qwen's optional sliding-window layers.
import Foundation
import Transformer

enum Qwen3Family: ArchitectureFamily {
  static let modelType = "qwen3"
  static let traits = DecoderLLMTraits(modelType: modelType, queryKeyNorm: true, sliding: .qwenLayers)

  static func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, folder: URL) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
  {
    try traits.engine(json, checkpoint: checkpoint)
  }
}
