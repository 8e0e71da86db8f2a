// One encoder or decoder layer: self-attention, optional cross-attention, feed-forward, each wrapped
// in a residual connection with LayerNorm before (pre-norm) or after (post-norm) the sum.
import Tensors
import Trace

public struct TransformerLayer: Sendable {
  public let selfAttention: MultiHeadAttention
  public let selfAttentionNorm: LayerNorm
  /// Decoder layers of an encoder-decoder model only.
  public let crossAttention: (attention: MultiHeadAttention, norm: LayerNorm)?
  public let feedForward: FeedForward
  public let feedForwardNorm: LayerNorm
  public let placement: NormPlacement

  public init(_ parameters: ParameterStore, _ name: String, config: ModelConfig, cross: Bool) {
    let eps = config.layerNormEps
    selfAttention = MultiHeadAttention(parameters, "\(name).self_attn", config: config)
    selfAttentionNorm = LayerNorm(parameters, "\(name).self_attn_norm", epsilon: eps)
    crossAttention =
      cross
      ? (
        MultiHeadAttention(parameters, "\(name).cross_attn", config: config),
        LayerNorm(parameters, "\(name).cross_attn_norm", epsilon: eps)
      ) : nil
    feedForward = FeedForward(parameters, "\(name).ffn", activation: config.activation)
    feedForwardNorm = LayerNorm(parameters, "\(name).ffn_norm", epsilon: eps)
    placement = config.norm
  }

  /// x [n, d] → [n, d]. `memory` is the encoder output for cross-attention.
  public func callAsFunction(
    _ x: Tensor, selfMask: AttentionMask, memory: Tensor?, sites: LayerSites,
    recorder: AttentionRecorder?
  ) -> Tensor {
    var h = residual(x, selfAttentionNorm) {
      selfAttention($0, over: $0, mask: selfMask, site: sites.selfAttention, recorder: recorder)
    }
    if let (attention, norm) = crossAttention, let memory, let site = sites.crossAttention {
      h = residual(h, norm) { attention($0, over: memory, mask: .none, site: site, recorder: recorder) }
    }
    return residual(h, feedForwardNorm) { feedForward($0) }
  }

  /// Post-norm: LN(x + f(x)) (Vaswani et al.); pre-norm: x + f(LN(x)).
  func residual(_ x: Tensor, _ norm: LayerNorm, _ sublayer: (Tensor) -> Tensor) -> Tensor {
    switch placement {
    case .post:
      var sum = sublayer(x)
      sum += x  // in place: the same sum as x + f(x), without a fresh buffer
      return norm(sum)
    case .pre:
      var sum = sublayer(norm(x))
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
