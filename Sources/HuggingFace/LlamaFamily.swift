// Llama 2 and 3.x, SmolLM / SmolLM2, TinyLlama (transformers' models/llama/modeling_llama.py):
// pre-RMSNorm blocks, SwiGLU, grouped-query attention, rotary positions with the `linear` and
// `llama3` scalings. The shared reading is DecoderLLM.swift; Llama is its baseline.
import Foundation
import Transformer

enum LlamaFamily: ArchitectureFamily {
  static let modelType = "llama"
  static let traits = DecoderLLMTraits(modelType: modelType)

  static func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, folder: URL) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
  {
    try traits.engine(json, checkpoint: checkpoint)
  }
}
