// Qwen 2 and 2.5 (models/qwen2/modeling_qwen2.py): Llama's blocks with biases on q, k and v (none
// on o_proj), and sliding-window layers only when `use_sliding_window` is true.
import Foundation
import Transformer

enum Qwen2Family: ArchitectureFamily {
  static let modelType = "qwen2"
  static let traits = DecoderLLMTraits(
    modelType: modelType, fixedQKVBias: true, outputBiasFollowsAttentionBias: false, sliding: .qwenLayers)

  static func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, folder: URL) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
  {
    try traits.engine(json, checkpoint: checkpoint)
  }
}
