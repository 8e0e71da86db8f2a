// Phi-3 (models/phi3/modeling_phi3.py): Llama's blocks with q, k, v fused in qkv_proj and gate, up
// fused in gate_up_proj (split here into row blocks), no biases, `partial_rotary_factor` of each
// head rotated, and a sliding window in every layer when `sliding_window` is set.
import Foundation
import Transformer

enum Phi3Family: ArchitectureFamily {
  static let modelType = "phi3"
  static let traits = DecoderLLMTraits(
    modelType: modelType, outputBiasFollowsAttentionBias: false, sliding: .everyLayer)

  static func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, folder: URL) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
  {
    if try json.bool("attention_bias") == true {
      throw ModelError("config.json: attention_bias true is not supported for phi3")
    }
    return try traits.engine(json, checkpoint: checkpoint, fused: true)
  }
}
