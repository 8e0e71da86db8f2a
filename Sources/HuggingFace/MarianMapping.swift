// Marian encoder-decoders, the Helsinki-NLP opus-mt models (transformers' models/marian/
// modeling_marian.py: MarianSinusoidalPositionalEmbedding, MarianAttention, MarianEncoderLayer,
// MarianDecoderLayer, MarianMTModel): embeddings × √d (scale_embedding), sinusoidal positions with
// sines in the first half of the dimensions, post-LayerNorm layers, SiLU ("swish"), shared or
// separate embeddings, an LM head tied to the decoder embedding plus `final_logits_bias`.
import Foundation
import Transformer

struct MarianMapping: WeightMapping {
  static let modelType = "marian"
  /// "model." (MarianMTModel) or "" (MarianModel).
  let prefix: String

  static func config(_ json: HFJSON) throws(ModelError) -> ModelConfig {
    let heads = try json.requiredSize("encoder_attention_heads", in: ConfigLimits.heads)
    let ffn = try json.requiredSize("encoder_ffn_dim", in: ConfigLimits.feedForward)
    guard try json.size("decoder_attention_heads", in: ConfigLimits.heads, default: heads) == heads else {
      throw ModelError("config.json: decoder_attention_heads ≠ encoder_attention_heads is not supported")
    }
    guard try json.size("decoder_ffn_dim", in: ConfigLimits.feedForward, default: ffn) == ffn else {
      throw ModelError("config.json: decoder_ffn_dim ≠ encoder_ffn_dim is not supported")
    }
    if try json.bool("normalize_before") == true {
      throw ModelError("config.json: normalize_before true is not supported")
    }
    var config = try HFConfigBuilder.base(
      .encoderDecoder, d: try json.requiredSize("d_model", in: ConfigLimits.width), heads: heads, ffn: ffn,
      positions: try json.size("max_position_embeddings", in: ConfigLimits.positions, default: 1024))
    config.encoderLayers = try json.requiredSize("encoder_layers", in: ConfigLimits.layers)
    config.decoderLayers = try json.requiredSize("decoder_layers", in: ConfigLimits.layers)
    let vocabulary = try json.requiredSize("vocab_size", in: ConfigLimits.vocabulary)
    let shared = try json.bool("share_encoder_decoder_embeddings") ?? true
    config.sourceVocabSize = vocabulary
    config.targetVocabSize =
      shared ? vocabulary : try json.size("decoder_vocab_size", in: ConfigLimits.vocabulary) ?? vocabulary
    config.positional = .sinusoidalSplit
    config.norm = .post
    config.activation = try HFActivation.parse(
      try json.string("activation_function") ?? "gelu", key: "activation_function")
    config.layerNormEps = 1e-5  // nn.LayerNorm's default: Marian passes no eps
    config.scaleEmbeddings = try json.bool("scale_embedding") ?? false
    config.lmHeadBias = true  // final_logits_bias
    return config
  }

  func recipe(for parameter: String) -> Recipe? {
    let p = prefix
    switch parameter {
    case "encoder.embed_tokens.weight": return .named("\(p)encoder.embed_tokens.weight", "\(p)shared.weight")
    case "decoder.embed_tokens.weight": return .named("\(p)decoder.embed_tokens.weight", "\(p)shared.weight")
    case "lm_head.weight":
      return .named("lm_head.weight", "\(p)decoder.embed_tokens.weight", "\(p)shared.weight")
    case "lm_head.bias":
      return Recipe(source: .tensor(["final_logits_bias"]), reshape: true, zerosIfMissing: true)  // [1, V] → [V]
    default: break
    }
    for stack in ["encoder", "decoder"] {
      guard let (i, rest) = parameter.layerPart(after: "\(stack).layers.") else { continue }
      let layer = "\(p)\(stack).layers.\(i)"
      let renames = [
        ("self_attn.o_proj.", "self_attn.out_proj."), ("cross_attn.o_proj.", "encoder_attn.out_proj."),
        ("cross_attn.", "encoder_attn."), ("self_attn_norm.", "self_attn_layer_norm."),
        ("cross_attn_norm.", "encoder_attn_layer_norm."), ("ffn_norm.", "final_layer_norm."), ("ffn.", ""),
      ]
      for (from, to) in renames where rest.hasPrefix(from) {
        return .named("\(layer).\(to)\(rest.dropFirst(from.count))")
      }
      return .named("\(layer).\(rest)")  // self_attn.{q,k,v}_proj.*
    }
    return nil
  }

  func isIgnored(_ tensor: String) -> Bool {
    // The sinusoidal tables are recomputed (MarianMTModel never saves them; old exports may).
    tensor.hasSuffix("embed_positions.weight")
  }
}

extension MarianMapping: ArchitectureFamily {
  static func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, folder: URL) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
  {
    (
      try config(json),
      MarianMapping(prefix: checkpoint.names.contains { $0.hasPrefix("model.") } ? "model." : "")
    )
  }
}
