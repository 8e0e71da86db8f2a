// The options of today's decoder-only LLMs (Llama, Mistral, Qwen, Gemma, Phi) on top of the classic
// Transformer: RMSNorm, rotary positions, gated feed-forward, grouped-query heads of any width,
// q/k norms, sliding-window layers and soft-capping. Absent from a config = the classic model,
// so every attnscope config written before them loads and saves unchanged.
import Tensors
import Trace

/// Which normalisation every norm of the model is.
public enum NormKind: String, Codable, Sendable {
  /// LayerNorm with weight and bias (Ba et al. 2016).
  case layer
  /// RMSNorm with a weight, x / rms(x) · w (Llama, Mistral, Qwen, Phi-3).
  case rms
  /// RMSNorm scaling by (1 + w), Gemma's stored form.
  case rmsUnitOffset = "rms-unit-offset"
}

/// What a decoder layer's self-attention may look at.
public enum LayerAttention: String, Codable, Sendable {
  /// Every earlier position.
  case full
  /// The `sliding_window` most recent positions (Mistral; Gemma's local layers).
  case sliding
}

public struct LanguageModelOptions: Codable, Sendable, Equatable {
  public var norm: NormKind
  /// Width of one head when it is not d_model / num_heads (Qwen 3, Gemma 3).
  public var headDim: Int?
  /// down(act(gate(x)) ⊙ up(x)) (Shazeer 2020: SwiGLU with SiLU, GeGLU with GELU) instead of fc2(act(fc1(x))).
  public var gatedFeedForward: Bool
  /// Biases on the feed-forward projections (Llama's `mlp_bias`).
  public var feedForwardBias: Bool
  /// A bias on o_proj; q/k/v follow `attention_bias` (Qwen 2 has q/k/v biases and none on o_proj).
  public var outputBias: Bool
  /// An RMSNorm over each head's query and key before the rotation (Qwen 3, Gemma 3).
  public var queryKeyNorm: Bool
  /// Scale of q·k; default 1/√head_dim (Gemma 3: query_pre_attn_scalar^−½).
  public var attentionScale: Float?
  public var slidingWindow: Int?
  /// Per decoder layer; nil = every layer sliding when `slidingWindow` is set, else full.
  public var layerAttention: [LayerAttention]?
  /// cap · tanh(s / cap) on attention scores before the softmax, and on the output logits (Gemma 2).
  public var attentionSoftcap: Float?
  public var finalSoftcap: Float?
  /// Rotated dimensions of each head (Phi-3's partial_rotary_factor); default the whole head.
  public var rotaryDimensions: Int?
  public var rotary: RotaryFrequencies
  /// The frequencies of sliding-window layers when they differ (Gemma 3's rope_local_base_freq).
  public var localRotary: RotaryFrequencies?

  public init(
    norm: NormKind = .rms, headDim: Int? = nil, gatedFeedForward: Bool = true, feedForwardBias: Bool = false,
    outputBias: Bool = false, queryKeyNorm: Bool = false, attentionScale: Float? = nil,
    slidingWindow: Int? = nil, layerAttention: [LayerAttention]? = nil, attentionSoftcap: Float? = nil,
    finalSoftcap: Float? = nil, rotaryDimensions: Int? = nil, rotary: RotaryFrequencies,
    localRotary: RotaryFrequencies? = nil
  ) {
    self.norm = norm
    self.headDim = headDim
    self.gatedFeedForward = gatedFeedForward
    self.feedForwardBias = feedForwardBias
    self.outputBias = outputBias
    self.queryKeyNorm = queryKeyNorm
    self.attentionScale = attentionScale
    self.slidingWindow = slidingWindow
    self.layerAttention = layerAttention
    self.attentionSoftcap = attentionSoftcap
    self.finalSoftcap = finalSoftcap
    self.rotaryDimensions = rotaryDimensions
    self.rotary = rotary
    self.localRotary = localRotary
  }

  enum CodingKeys: String, CodingKey {
    case norm
    case headDim = "head_dim"
    case gatedFeedForward = "gated_ffn"
    case feedForwardBias = "ffn_bias"
    case outputBias = "output_bias"
    case queryKeyNorm = "qk_norm"
    case attentionScale = "attention_scale"
    case slidingWindow = "sliding_window"
    case layerAttention = "layer_attention"
    case attentionSoftcap = "attention_softcap"
    case finalSoftcap = "final_softcap"
    case rotaryDimensions = "rotary_dims"
    case rotary
    case localRotary = "local_rotary"
  }

  /// Layer `index`'s attention.
  public func attention(ofLayer index: Int) -> LayerAttention {
    if let layerAttention, index < layerAttention.count { return layerAttention[index] }
    return slidingWindow == nil ? .full : .sliding
  }

  /// The causal mask of layer `index` for queries starting at absolute position `offset`.
  public func mask(ofLayer index: Int, offset: Int) -> AttentionMask {
    if attention(ofLayer: index) == .sliding, let slidingWindow {
      return .slidingWindow(offset: offset, size: slidingWindow)
    }
    return .causal(offset: offset)
  }

  /// Layer `index`'s rotary frequencies.
  public func frequencies(ofLayer index: Int) -> RotaryFrequencies {
    attention(ofLayer: index) == .sliding ? localRotary ?? rotary : rotary
  }
}

extension ModelConfig {
  /// Checks the options against each other and the config; the message names the key.
  func validateLanguageModel(_ options: LanguageModelOptions) throws(ModelError) {
    func require(_ condition: Bool, _ message: String) throws(ModelError) {
      if !condition { throw ModelError("config.json: \(message)") }
    }
    try require(architecture == .decoderOnly, "\"language_model\" options are for decoder-only models")
    try require(positional == .rotary, "\"language_model\" models use \"positional\": \"rotary\"")
    if let headDim = options.headDim {
      try ConfigLimits.check(headDim, in: ConfigLimits.width, key: "head_dim")
    }
    let rotated = options.rotaryDimensions ?? headDim
    try require(
      rotated >= 2 && rotated <= headDim && rotated % 2 == 0,
      "rotary_dims \(rotated) must be even and from 2 to head_dim \(headDim)")
    if let window = options.slidingWindow {
      try ConfigLimits.check(window, in: ConfigLimits.positions, key: "sliding_window")
    }
    if let kinds = options.layerAttention {
      try require(
        kinds.count == decoderLayers, "layer_attention has \(kinds.count) entries for \(decoderLayers) layers"
      )
      try require(
        !kinds.contains(.sliding) || options.slidingWindow != nil, "sliding layers need \"sliding_window\"")
    }
    for (key, value) in [
      ("attention_scale", options.attentionScale), ("attention_softcap", options.attentionSoftcap),
      ("final_softcap", options.finalSoftcap),
    ] {
      if let value {
        try require(value > 0 && value.isFinite, "\(key) must be a positive number, got \(value)")
      }
    }
    for (key, frequencies) in [("rotary", options.rotary), ("local_rotary", options.localRotary)] {
      guard let frequencies else { continue }
      try require(
        frequencies.theta > 1 && frequencies.theta.isFinite,
        "\(key) theta must be above 1, got \(frequencies.theta)")
      switch frequencies.scaling {
      case nil: break
      case .linear(let factor):
        try require(factor > 0 && factor.isFinite, "\(key) linear scaling factor must be positive")
      case .llama3(let factor, let low, let high, let context):
        try require(
          factor > 0 && factor.isFinite && low > 0 && high > low && high.isFinite && context > 0,
          "\(key) llama3 scaling needs factor > 0, 0 < low_freq_factor < high_freq_factor and a context")
      case .frequencyFactors(let factors):
        try require(
          factors.count == rotated / 2,
          "\(key) has \(factors.count) frequency factors for \(rotated / 2) rotated pairs")
        if let bad = factors.first(where: { !($0 > 0 && $0.isFinite) }) {
          try require(false, "\(key) frequency factors must be positive numbers, got \(bad)")
        }
      }
    }
  }
}
