// What the decoder-only LLM families share (transformers' LlamaConfig and the families built on
// it: modeling_llama.py, modeling_mistral.py, modeling_qwen2.py, modeling_qwen3.py,
// modeling_gemma3.py, modeling_phi3.py): hidden sizes, grouped-query heads, RMSNorm, rotary
// positions (`rope_parameters`, or the older `rope_theta` + `rope_scaling`), sliding-window layers
// and the checkpoint's `model.layers.N.…` names. Each family file (LlamaFamily.swift …) states only
// how it differs, as a `DecoderLLMTraits`.
import Foundation
import Tensors
import Trace
import Transformer

/// How one family departs from Llama.
struct DecoderLLMTraits: Sendable {
  var modelType: String
  /// θ when the config names none (Gemma 3's global layers: 1e6).
  var defaultTheta = 10_000.0
  /// Gemma 3's local layers have their own θ (`rope_local_base_freq`, default 1e4).
  var localDefaultTheta: Double? = nil
  var norm: NormKind = .rms
  var sandwichNorms = false
  var scaleEmbeddings = false
  var activationKey = "hidden_act"
  var defaultActivation = "silu"
  var tiedByDefault = false
  /// Qwen 2: q/k/v always have biases and o_proj none, whatever `attention_bias` says.
  var fixedQKVBias: Bool? = nil
  /// Whether o_proj has a bias when `attention_bias` is true (Qwen 2, Phi-3: never).
  var outputBiasFollowsAttentionBias = true
  var queryKeyNorm = false
  var sliding: SlidingRule = .none
  /// Gemma 3: scale = query_pre_attn_scalar^−½ and optional soft-capping.
  var gemmaScaling = false

  enum SlidingRule: Sendable {
    /// No sliding-window attention (Llama).
    case none
    /// `sliding_window`, when set, applies to every layer (Mistral, Phi-3).
    case everyLayer
    /// Per layer as `layer_types` says, else Qwen's `use_sliding_window` + `max_window_layers`.
    case qwenLayers
    /// `layer_types`, else every `sliding_window_pattern`-th layer global (Gemma 3).
    case gemmaPattern
  }
}

enum DecoderLLM {
  /// The engine configuration of a decoder-only LLM config.json.
  static func config(_ json: HFJSON, _ traits: DecoderLLMTraits) throws(ModelError) -> ModelConfig {
    try refuseUnsupported(json, traits)
    let d = try json.requiredSize("hidden_size", in: ConfigLimits.width)
    let heads = try json.requiredSize("num_attention_heads", in: ConfigLimits.heads)
    let layers = try json.requiredSize("num_hidden_layers", in: ConfigLimits.layers)
    var config = try HFConfigBuilder.base(
      .decoderOnly, d: d, heads: heads,
      ffn: try json.requiredSize("intermediate_size", in: ConfigLimits.feedForward),
      positions: try json.requiredSize("max_position_embeddings", in: ConfigLimits.positions))
    config.numKVHeads = try json.size("num_key_value_heads", in: ConfigLimits.heads) ?? heads
    guard heads % config.numKVHeads == 0 else {
      throw ModelError(
        "config.json: num_attention_heads \(heads) is not divisible by num_key_value_heads \(config.numKVHeads)"
      )
    }
    config.decoderLayers = layers
    config.vocabSize = try json.requiredSize("vocab_size", in: ConfigLimits.vocabulary)
    config.positional = .rotary
    config.norm = traits.sandwichNorms ? .sandwich : .pre
    config.activation = try HFActivation.parse(
      try json.string(traits.activationKey) ?? traits.defaultActivation, key: traits.activationKey)
    config.layerNormEps = Float(try json.double("rms_norm_eps") ?? 1e-6)
    config.scaleEmbeddings = traits.scaleEmbeddings
    let attentionBias = try json.bool("attention_bias") ?? false
    config.attentionBias = traits.fixedQKVBias ?? attentionBias
    config.lmHeadBias = false
    let headDim = try json.size("head_dim", in: ConfigLimits.width)
    guard headDim != nil || d % heads == 0 else {
      throw ModelError("config.json: hidden_size \(d) is not divisible by num_attention_heads \(heads)")
    }
    let width = headDim ?? d / heads
    let kinds = try layerAttention(json, traits, layers: layers)
    let window = try slidingWindow(json, traits)
    var options = LanguageModelOptions(
      norm: traits.norm, headDim: headDim, feedForwardBias: try json.bool("mlp_bias") ?? false,
      outputBias: traits.fixedQKVBias == nil && traits.outputBiasFollowsAttentionBias && attentionBias,
      queryKeyNorm: traits.queryKeyNorm, slidingWindow: kinds?.contains(.sliding) == false ? nil : window,
      layerAttention: window == nil ? nil : kinds,
      rotary: try rotary(json, layerType: "full_attention", defaultTheta: traits.defaultTheta))
    if let local = traits.localDefaultTheta {
      options.localRotary = try rotary(json, layerType: "sliding_attention", defaultTheta: local, local: true)
    }
    if let factor = try partialRotaryFactor(json) {
      guard factor > 0, factor <= 1 else {
        throw ModelError("config.json: partial_rotary_factor must be in (0, 1], got \(factor)")
      }
      options.rotaryDimensions = Int(Double(width) * factor)  // transformers: int(head_dim * factor)
    }
    if traits.gemmaScaling {
      let scalar = try json.double("query_pre_attn_scalar") ?? 256
      guard scalar > 0, scalar.isFinite else {
        throw ModelError("config.json: query_pre_attn_scalar must be positive, got \(scalar)")
      }
      options.attentionScale = Float(pow(scalar, -0.5))
      options.attentionSoftcap = try json.double("attn_logit_softcapping").map(Float.init)
      options.finalSoftcap = try json.double("final_logit_softcapping").map(Float.init)
    }
    config.languageModel = options
    // What the viewer opens on without --text: a repeated phrase, so induction heads (attention to
    // the token after the earlier occurrence) show at once beside the first-token sink.
    config.defaultText = "The quick brown fox jumps over the lazy dog. The quick brown fox jumps"
    return config
  }

  /// Options the engine does not implement, refused by name rather than ignored.
  static func refuseUnsupported(_ json: HFJSON, _ traits: DecoderLLMTraits) throws(ModelError) {
    if json.has("quantization_config") {
      throw ModelError(
        "config.json: quantization_config (a quantised checkpoint) is not supported; use the GGUF file or full weights"
      )
    }
    if try json.bool("use_bidirectional_attention") == true {
      throw ModelError("config.json: use_bidirectional_attention true is not supported")
    }
    if !traits.gemmaScaling {
      for key in ["attn_logit_softcapping", "final_logit_softcapping"] where json.has(key) {
        throw ModelError("config.json: \(key) is not supported for \(traits.modelType)")
      }
    }
  }

  static func partialRotaryFactor(_ json: HFJSON) throws(ModelError) -> Double? {
    if let parameters = json.object("rope_parameters"), parameters.has("partial_rotary_factor") {
      return try parameters.double("partial_rotary_factor")
    }
    return try json.double("partial_rotary_factor")
  }

  /// The rope settings of one kind of layer: `rope_parameters` (flat, or nested by layer type as
  /// transformers 5 writes Gemma 3's), else the older `rope_theta` + `rope_scaling`. Gemma 3's
  /// local layers (`local`) read only their nested entry or `rope_local_base_freq`: the top-level
  /// θ and scaling belong to its global layers (Gemma3TextConfig.convert_rope_params_to_dict).
  static func rotary(_ json: HFJSON, layerType: String, defaultTheta: Double, local: Bool = false)
    throws(ModelError) -> RotaryFrequencies
  {
    var parameters = json.object("rope_parameters") ?? json.object("rope_scaling")
    if let nested = parameters?.object(layerType) {
      parameters = nested
    } else if local {
      parameters = nil
    }
    let where_ = json.has("rope_parameters") ? "rope_parameters" : "rope_scaling"
    var theta = defaultTheta
    if let value = try json.double(local ? "rope_local_base_freq" : "rope_theta") { theta = value }
    if let value = try parameters?.double("rope_theta") { theta = value }
    guard let parameters else { return RotaryFrequencies(theta: theta) }
    var type = "default"
    if let value = try parameters.string("type") { type = value }
    if let value = try parameters.string("rope_type") { type = value }
    func number(_ key: String) throws(ModelError) -> Double {
      guard let value = try parameters.double(key) else {
        throw ModelError("config.json: \(where_) of type \"\(type)\" needs \"\(key)\"")
      }
      return value
    }
    switch type {
    case "default": return RotaryFrequencies(theta: theta)
    case "linear": return RotaryFrequencies(theta: theta, scaling: .linear(factor: try number("factor")))
    case "llama3":
      var context = try json.required("max_position_embeddings")
      if let value = try parameters.int("original_max_position_embeddings") { context = value }
      return RotaryFrequencies(
        theta: theta,
        scaling: .llama3(
          factor: try number("factor"), lowFrequencyFactor: try number("low_freq_factor"),
          highFrequencyFactor: try number("high_freq_factor"), originalContext: context))
    case "frequency_factors":
      // attnscope's own type: what the GGUF reader writes for llama.cpp's `rope_freqs` tensor.
      guard let list = parameters.value["factors"]?.arrayValue, !list.isEmpty, list.count <= 65_536 else {
        throw ModelError("config.json: \(where_) of type \"frequency_factors\" needs a list \"factors\"")
      }
      let factors = list.map { $0.numberValue.map { Float($0.doubleValue) } ?? .nan }
      return RotaryFrequencies(theta: theta, scaling: .frequencyFactors(factors))
    default:
      throw ModelError(
        "config.json: \(where_) type \"\(type)\" is not supported (default, linear, llama3)")
    }
  }

  /// Per layer, full or sliding; nil when every layer is the same.
  static func layerAttention(_ json: HFJSON, _ traits: DecoderLLMTraits, layers: Int) throws(ModelError)
    -> [LayerAttention]?
  {
    if let raw = json.value["layer_types"], !raw.isNull {
      guard let list = raw.arrayValue, list.count == layers else {
        throw ModelError("config.json: \"layer_types\" must list one type per layer (\(layers))")
      }
      var kinds: [LayerAttention] = []
      for item in list {
        switch item.stringValue {
        case "full_attention": kinds.append(.full)
        case "sliding_attention": kinds.append(.sliding)
        case let other:
          throw ModelError(
            "config.json: layer type \"\(other ?? "?")\" is not supported (full_attention, sliding_attention)"
          )
        }
      }
      return kinds
    }
    switch traits.sliding {
    case .none, .everyLayer: return nil
    case .qwenLayers:
      let first = try json.int("max_window_layers") ?? 28
      return (0..<layers).map { $0 >= first ? .sliding : .full }
    case .gemmaPattern:
      let pattern = try json.size("sliding_window_pattern", in: 1...ConfigLimits.layers.upperBound) ?? 6
      return (0..<layers).map { ($0 + 1) % pattern == 0 ? .full : .sliding }
    }
  }

  static func slidingWindow(_ json: HFJSON, _ traits: DecoderLLMTraits) throws(ModelError) -> Int? {
    switch traits.sliding {
    case .none: return nil
    case .everyLayer: return try json.size("sliding_window", in: ConfigLimits.positions)
    case .qwenLayers:
      guard try json.bool("use_sliding_window") == true else { return nil }
      return try json.size("sliding_window", in: ConfigLimits.positions)
    case .gemmaPattern: return try json.size("sliding_window", in: ConfigLimits.positions, default: 4096)
    }
  }
}

/// `model.layers.N.…` names (LlamaForCausalLM and its descendants) for the engine's parameters.
struct DecoderLLMMapping: WeightMapping {
  static let modelType = "decoder-only LLM"
  /// "model." (…ForCausalLM), "" (a bare …Model) or "model.language_model." (Gemma 3's multimodal wrapper).
  let prefix: String
  let tied: Bool
  let sandwich: Bool
  /// Phi-3's fused qkv_proj and gate_up_proj, with the row blocks of q, k, v and of gate, up.
  let fused: (query: Int, keyValue: Int, ffn: Int)?

  init(checkpoint: any CheckpointTensors, config: ModelConfig, tied: Bool, fused: Bool = false) {
    prefix =
      ["model.", "model.language_model.", ""].first { checkpoint.contains("\($0)embed_tokens.weight") }
      ?? "model."
    self.tied = tied
    sandwich = config.norm == .sandwich
    self.fused =
      fused
      ? (config.numHeads * config.headDim, config.numKVHeads * config.headDim, config.ffnDim) : nil
  }

  func recipe(for parameter: String) -> Recipe? {
    let p = prefix
    switch parameter {
    case "decoder.embed_tokens.weight": return .named("\(p)embed_tokens.weight")
    case "decoder.final_norm.weight": return .named("\(p)norm.weight")
    case "lm_head.weight": return tied ? .named("\(p)embed_tokens.weight") : .named("lm_head.weight")
    default: break
    }
    guard let (i, rest) = parameter.layerPart(after: "decoder.layers.") else { return nil }
    let block = "\(p)layers.\(i)"
    if let fused, let recipe = fusedRecipe(rest, block: block, fused) { return recipe }
    let names: [String: String] = [
      "self_attn_norm.weight": "input_layernorm.weight",
      // Llama's second norm sits before the MLP; Gemma's of that name follows the attention.
      "ffn_norm.weight": sandwich ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight",
      "self_attn_post_norm.weight": "post_attention_layernorm.weight",
      "ffn_post_norm.weight": "post_feedforward_layernorm.weight",
      "ffn.gate.weight": "mlp.gate_proj.weight", "ffn.gate.bias": "mlp.gate_proj.bias",
      "ffn.up.weight": "mlp.up_proj.weight", "ffn.up.bias": "mlp.up_proj.bias",
      "ffn.down.weight": "mlp.down_proj.weight", "ffn.down.bias": "mlp.down_proj.bias",
    ]
    if let name = names[rest] { return .named("\(block).\(name)") }
    if rest.hasPrefix("self_attn.") { return .named("\(block).\(rest)") }  // q/k/v/o_proj, q/k_norm
    return nil
  }

  /// qkv_proj rows: q, then k, then v; gate_up_proj rows: gate, then up (Phi3MLP's chunk(2)).
  func fusedRecipe(_ rest: String, block: String, _ widths: (query: Int, keyValue: Int, ffn: Int)) -> Recipe?
  {
    let (q, kv, ffn) = widths
    let blocks: [String: (String, Range<Int>, Int)] = [
      "self_attn.q_proj.weight": ("self_attn.qkv_proj.weight", 0..<q, q + 2 * kv),
      "self_attn.k_proj.weight": ("self_attn.qkv_proj.weight", q..<(q + kv), q + 2 * kv),
      "self_attn.v_proj.weight": ("self_attn.qkv_proj.weight", (q + kv)..<(q + 2 * kv), q + 2 * kv),
      "ffn.gate.weight": ("mlp.gate_up_proj.weight", 0..<ffn, 2 * ffn),
      "ffn.up.weight": ("mlp.gate_up_proj.weight", ffn..<(2 * ffn), 2 * ffn),
    ]
    guard let (name, rows, total) = blocks[rest] else { return nil }
    return Recipe(source: .tensor(["\(block).\(name)"]), rows: rows, fusedRows: total)
  }

  func isIgnored(_ tensor: String) -> Bool {
    // Old checkpoints keep RoPE's inverse frequencies; a tied model may still carry lm_head.
    tensor.hasSuffix("rotary_emb.inv_freq") || (tied && tensor == "lm_head.weight")
  }
}

extension DecoderLLMTraits {
  /// The family's `ArchitectureFamily.engine`: config, then the checkpoint names.
  func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, fused: Bool = false) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
  {
    let config = try DecoderLLM.config(json, self)
    let tied = try json.bool("tie_word_embeddings") ?? tiedByDefault
    return (config, DecoderLLMMapping(checkpoint: checkpoint, config: config, tied: tied, fused: fused))
  }
}
