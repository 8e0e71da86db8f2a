// BERT encoders (transformers' models/bert/modeling_bert.py: BertEmbeddings, BertSelfAttention,
// BertLayer), e.g. sentence-transformers/all-MiniLM-L6-v2: word + learned position + token-type
// embeddings and a LayerNorm over their sum, post-LayerNorm layers, GELU. The output is the last
// hidden state (BertModel's `last_hidden_state`); pooler and masked-LM head tensors are ignored.
import Foundation
import Transformer

struct BertMapping: WeightMapping {
  static let modelType = "bert"
  /// "" (BertModel) or "bert." (BertFor… heads).
  let prefix: String

  static func config(_ json: HFJSON) throws(ModelError) -> ModelConfig {
    if let kind = try json.string("position_embedding_type"), kind != "absolute" {
      throw ModelError(
        "config.json: position_embedding_type \"\(kind)\" is not supported (only \"absolute\")")
    }
    if try json.bool("is_decoder") == true {
      throw ModelError("config.json: is_decoder true is not supported")
    }
    if try json.bool("add_cross_attention") == true {
      throw ModelError("config.json: add_cross_attention true is not supported")
    }
    var config = try HFConfigBuilder.base(
      .encoderOnly, d: try json.requiredSize("hidden_size", in: ConfigLimits.width),
      heads: try json.requiredSize("num_attention_heads", in: ConfigLimits.heads),
      ffn: try json.requiredSize("intermediate_size", in: ConfigLimits.feedForward),
      positions: try json.size("max_position_embeddings", in: ConfigLimits.positions, default: 512))
    config.encoderLayers = try json.requiredSize("num_hidden_layers", in: ConfigLimits.layers)
    config.vocabSize = try json.requiredSize("vocab_size", in: ConfigLimits.vocabulary)
    config.positional = .learned
    config.norm = .post
    config.activation = try HFActivation.parse(try json.string("hidden_act") ?? "gelu", key: "hidden_act")
    config.layerNormEps = Float(try json.double("layer_norm_eps") ?? 1e-12)
    config.embeddingNorm = true
    config.tokenTypeVocabSize = try json.size("type_vocab_size", in: ConfigLimits.tokenTypes, default: 2)
    config.outputHead = OutputHead.none
    return config
  }

  func recipe(for parameter: String) -> Recipe? {
    let p = prefix
    switch parameter {
    case "encoder.embed_tokens.weight": return .named("\(p)embeddings.word_embeddings.weight")
    case "encoder.embed_positions.weight": return .named("\(p)embeddings.position_embeddings.weight")
    case "encoder.embed_token_types.weight": return .named("\(p)embeddings.token_type_embeddings.weight")
    case "encoder.embed_norm.weight": return Self.layerNorm("\(p)embeddings.LayerNorm", "weight")
    case "encoder.embed_norm.bias": return Self.layerNorm("\(p)embeddings.LayerNorm", "bias")
    default: break
    }
    guard let (i, rest) = parameter.layerPart(after: "encoder.layers.") else { return nil }
    let layer = "\(p)encoder.layer.\(i)"
    let parts = rest.split(separator: ".").map(String.init)
    guard parts.count >= 2, let kind = parts.last else { return nil }
    let module = parts.dropLast().joined(separator: ".")
    let names: [String: String] = [
      "self_attn.q_proj": "attention.self.query", "self_attn.k_proj": "attention.self.key",
      "self_attn.v_proj": "attention.self.value", "self_attn.o_proj": "attention.output.dense",
      "ffn.fc1": "intermediate.dense", "ffn.fc2": "output.dense",
    ]
    if let source = names[module] { return .named("\(layer).\(source).\(kind)") }
    if module == "self_attn_norm" { return Self.layerNorm("\(layer).attention.output.LayerNorm", kind) }
    if module == "ffn_norm" { return Self.layerNorm("\(layer).output.LayerNorm", kind) }
    return nil
  }

  /// LayerNorm weight/bias, or the gamma/beta names of checkpoints converted from TensorFlow.
  static func layerNorm(_ module: String, _ kind: String) -> Recipe {
    .named("\(module).\(kind)", "\(module).\(kind == "weight" ? "gamma" : "beta")")
  }

  func isIgnored(_ tensor: String) -> Bool {
    // Buffers, BertModel's pooler, and the pre-training / masked-LM heads (not part of the encoder).
    tensor.hasSuffix("position_ids") || tensor.hasSuffix("embeddings.token_type_ids")
      || tensor.hasPrefix("\(prefix)pooler.") || tensor.hasPrefix("cls.")
  }
}

extension BertMapping: ArchitectureFamily {
  static func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, folder: URL) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
  {
    (
      try config(json),
      BertMapping(prefix: checkpoint.prefix("bert.", ifContains: "embeddings.word_embeddings.weight"))
    )
  }
}
