// Gemma 3 text models, Gemma3ForCausalLM (models/gemma3/modeling_gemma3.py; Gemma Team 2025):
// embeddings scaled by √d, RMSNorm scaling by (1 + w), a norm before and after both sublayers,
// q/k norms, GeGLU (gelu_pytorch_tanh), local sliding-window layers with their own rotary base
// (`rope_local_base_freq`, 1e4) between global ones (1e6), q·k scaled by query_pre_attn_scalar^−½,
// and optional soft-capping of scores and logits. Tied embeddings by default.
import Foundation
import Transformer

enum Gemma3Family: ArchitectureFamily {
  static let modelType = "gemma3_text"
  static let traits = DecoderLLMTraits(
    modelType: modelType, defaultTheta: 1_000_000, localDefaultTheta: 10_000, norm: .rmsUnitOffset,
    sandwichNorms: true, scaleEmbeddings: true, activationKey: "hidden_activation",
    defaultActivation: "gelu_pytorch_tanh", tiedByDefault: true, queryKeyNorm: true, sliding: .gemmaPattern,
    gemmaScaling: true)

  static func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, folder: URL) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
  {
    try traits.engine(json, checkpoint: checkpoint)
  }
}
