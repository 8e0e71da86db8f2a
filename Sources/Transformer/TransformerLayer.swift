// One encoder or decoder layer: self-attention, optional cross-attention, feed-forward, each wrapped
// in a residual connection with its norm after the sum (post), before the sublayer (pre), or on
// both sides of the sublayer (sandwich, Gemma).
import Tensors
import Trace

public struct TransformerLayer: Sendable {
  public internal(set) var selfAttention: MultiHeadAttention
  public let selfAttentionNorm: Norm
  /// Sandwich placement: the norm of the self-attention's output, before the residual sum.
  public let selfAttentionPostNorm: Norm?
  /// Decoder layers of an encoder-decoder model only.
  public internal(set) var crossAttention: (attention: MultiHeadAttention, norm: Norm)?
  public let feedForward: FeedForward
  public let feedForwardNorm: Norm
  public let feedForwardPostNorm: Norm?
  public let placement: NormPlacement
  /// The self-attention mask for queries starting at a given position (causal, or a window).
  let selfMask: @Sendable (_ offset: Int) -> AttentionMask

  init(
    _ parameters: ParameterStore, _ name: String, config: ModelConfig, cross: Bool, index: Int = 0,
    causal: Bool = false, rotary: RotaryPositions? = nil
  ) {
    func norm(_ suffix: String) -> Norm { Norm(parameters, "\(name).\(suffix)", config: config) }
    let sandwich = config.norm == .sandwich
    selfAttention = MultiHeadAttention(parameters, "\(name).self_attn", config: config, rotary: rotary)
    selfAttentionNorm = norm("self_attn_norm")
    selfAttentionPostNorm = sandwich ? norm("self_attn_post_norm") : nil
    crossAttention =
      cross
      ? (
        MultiHeadAttention(parameters, "\(name).cross_attn", config: config),
        norm("cross_attn_norm")
      )
      : nil
    feedForward = FeedForward(parameters, "\(name).ffn", config: config)
    feedForwardNorm = norm("ffn_norm")
    feedForwardPostNorm = sandwich ? norm("ffn_post_norm") : nil
    placement = config.norm
    let options = config.languageModel
    selfMask = { offset in
      guard causal else { return .none }
      return options?.mask(ofLayer: index, offset: offset) ?? .causal(offset: offset)
    }
  }

  /// x [n, d] → [n, d]. `memory` is the encoder output for cross-attention.
  public func callAsFunction(
    _ x: Tensor, memory: Tensor?, sites: LayerSites, recorder: AttentionRecorder?
  ) -> Tensor {
    var h = residual(x, selfAttentionNorm, selfAttentionPostNorm) {
      selfAttention($0, over: $0, mask: selfMask(0), site: sites.selfAttention, recorder: recorder)
    }
    if let (attention, norm) = crossAttention, let memory, let site = sites.crossAttention {
      h = residual(h, norm, nil) { attention($0, over: memory, mask: .none, site: site, recorder: recorder) }
    }
    return residual(h, feedForwardNorm, feedForwardPostNorm) { feedForward($0) }
  }

  /// Post-norm: N(x + f(x)) (Vaswani et al.); pre-norm: x + f(N(x)); sandwich: x + N₂(f(N(x))).
  func residual(_ x: Tensor, _ norm: Norm, _ postNorm: Norm?, _ sublayer: (Tensor) -> Tensor) -> Tensor {
    switch placement {
    case .post:
      var sum = sublayer(x)
      sum += x  // in place: the same sum as x + f(x), without a fresh buffer
      return norm(sum)
    case .pre, .sandwich:
      var sum = sublayer(norm(x))
      if let postNorm { sum = postNorm(sum) }
      sum += x
      return sum
    }
  }
}

/// The trace tags of a layer's attention calls.
public struct LayerSites: Sendable {
  public var selfAttention: AttentionSite
  public var crossAttention: AttentionSite?
}
