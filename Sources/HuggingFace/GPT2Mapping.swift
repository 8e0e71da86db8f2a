// GPT-2 (transformers' models/gpt2/modeling_gpt2.py: GPT2Attention, GPT2MLP, GPT2Block, GPT2Model):
// learned positions, pre-LayerNorm blocks with a final ln_f, Conv1D weights stored [in, out]
// (transposed here to nn.Linear's [out, in]), q/k/v fused in c_attn (split into three row blocks),
// gelu_new (the tanh approximation), causal self-attention, and an LM head tied to wte.
import Foundation
import Transformer

struct GPT2Mapping: WeightMapping {
  static let modelType = "gpt2"
  /// "" (GPT2Model) or "transformer." (GPT2LMHeadModel).
  let prefix: String
  let width: Int

  static func config(_ json: HFJSON) throws(ModelError) -> ModelConfig {
    if try json.bool("scale_attn_weights") == false {
      throw ModelError("config.json: scale_attn_weights false is not supported")
    }
    if try json.bool("scale_attn_by_inverse_layer_idx") == true {
      throw ModelError("config.json: scale_attn_by_inverse_layer_idx true is not supported")
    }
    if try json.bool("add_cross_attention") == true {
      throw ModelError("config.json: add_cross_attention true is not supported")
    }
    let d = try json.requiredSize("n_embd", in: ConfigLimits.width)
    var config = try HFConfigBuilder.base(
      .decoderOnly, d: d, heads: try json.requiredSize("n_head", in: ConfigLimits.heads),
      ffn: try json.size("n_inner", in: ConfigLimits.feedForward) ?? 4 * d,
      positions: try json.requiredSize("n_positions", in: ConfigLimits.positions))
    config.decoderLayers = try json.requiredSize("n_layer", in: ConfigLimits.layers)
    config.vocabSize = try json.requiredSize("vocab_size", in: ConfigLimits.vocabulary)
    config.positional = .learned
    config.norm = .pre
    config.activation = try HFActivation.parse(
      try json.string("activation_function") ?? "gelu_new", key: "activation_function")
    config.layerNormEps = Float(try json.double("layer_norm_epsilon") ?? 1e-5)
    config.lmHeadBias = false
    return config
  }

  func recipe(for parameter: String) -> Recipe? {
    let p = prefix
    switch parameter {
    case "decoder.embed_tokens.weight": return .named("\(p)wte.weight")
    case "decoder.embed_positions.weight": return .named("\(p)wpe.weight")
    case "decoder.final_norm.weight": return .named("\(p)ln_f.weight")
    case "decoder.final_norm.bias": return .named("\(p)ln_f.bias")
    case "lm_head.weight": return .named("lm_head.weight", "\(p)wte.weight")  // tied when absent
    default: break
    }
    guard let (i, rest) = parameter.layerPart(after: "decoder.layers.") else { return nil }
    let block = "\(p)h.\(i)"
    let d = width
    switch rest {
    case "self_attn_norm.weight": return .named("\(block).ln_1.weight")
    case "self_attn_norm.bias": return .named("\(block).ln_1.bias")
    case "ffn_norm.weight": return .named("\(block).ln_2.weight")
    case "ffn_norm.bias": return .named("\(block).ln_2.bias")
    case "self_attn.o_proj.weight":
      return Recipe(source: .tensor(["\(block).attn.c_proj.weight"]), transposed: true)
    case "self_attn.o_proj.bias": return .named("\(block).attn.c_proj.bias")
    case "ffn.fc1.weight": return Recipe(source: .tensor(["\(block).mlp.c_fc.weight"]), transposed: true)
    case "ffn.fc1.bias": return .named("\(block).mlp.c_fc.bias")
    case "ffn.fc2.weight": return Recipe(source: .tensor(["\(block).mlp.c_proj.weight"]), transposed: true)
    case "ffn.fc2.bias": return .named("\(block).mlp.c_proj.bias")
    default: break
    }
    // c_attn: [d, 3d] Conv1D → [3d, d]; rows 0..<d are q, d..<2d k, 2d..<3d v (GPT2Attention's split).
    let blocks = ["self_attn.q_proj": 0, "self_attn.k_proj": 1, "self_attn.v_proj": 2]
    for (name, index) in blocks {
      let rows = (index * d)..<((index + 1) * d)
      if rest == "\(name).weight" {
        return Recipe(
          source: .tensor(["\(block).attn.c_attn.weight"]), transposed: true, rows: rows, fusedRows: 3 * d)
      }
      if rest == "\(name).bias" {
        return Recipe(source: .tensor(["\(block).attn.c_attn.bias"]), rows: rows, fusedRows: 3 * d)
      }
    }
    return nil
  }

  func isIgnored(_ tensor: String) -> Bool {
    // Old checkpoints keep the causal-mask buffers (attn.bias, attn.masked_bias).
    tensor.hasSuffix(".attn.bias") || tensor.hasSuffix(".attn.masked_bias")
  }
}

extension GPT2Mapping: ArchitectureFamily {
  static func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, folder: URL) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
  {
    let config = try config(json)
    return (
      config,
      GPT2Mapping(prefix: checkpoint.prefix("transformer.", ifContains: "wte.weight"), width: config.dModel)
    )
  }
}
