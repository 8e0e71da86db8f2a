// One encoder or decoder layer for training: self-attention, optional cross-attention and the FFN,
// each inside a residual connection with LayerNorm after the sum (post-norm, Vaswani et al.) or
// before the sublayer (pre-norm, Xiong et al. 2020).
import Tensors
import Transformer

/// What a residual block keeps: its norm's cache and the sublayer's own.
struct ResidualCache<Inner> {
  var norm: LayerNormPass.Cache
  var inner: Inner
}

extension NormPlacement {
  /// post: y = LN(x + f(x)); pre: y = x + f(LN(x)). x, y [n, d].
  func forward<Inner>(_ x: Tensor, _ norm: LayerNormPass, _ sublayer: (Tensor) -> (Tensor, Inner))
    -> (Tensor, ResidualCache<Inner>)
  {
    switch self {
    case .post:
      var sum = x
      let (f, inner) = sublayer(x)
      sum.add(f)
      let (y, normCache) = norm.forward(sum)
      return (y, ResidualCache(norm: normCache, inner: inner))
    case .pre:
      let (normalized, normCache) = norm.forward(x)
      var (y, inner) = sublayer(normalized)
      y.add(x)
      return (y, ResidualCache(norm: normCache, inner: inner))
    case .sandwich:
      preconditionFailure("training has no sandwich norms (TrainingExample.validate refuses them)")
    }
  }

  /// dy [n, d] → dx [n, d]. post: ds = LN′(dy), dx = ds + f′(ds); pre: dx = dy + LN′(f′(dy)).
  func backward<Inner>(
    _ dy: Tensor, _ cache: ResidualCache<Inner>, _ norm: LayerNormPass, _ gradients: GradientBuffer,
    _ sublayer: (Tensor, Inner) -> Tensor
  ) -> Tensor {
    switch self {
    case .post:
      var dx = norm.backward(dy, cache.norm, gradients)
      dx.add(sublayer(dx, cache.inner))
      return dx
    case .pre:
      var dx = norm.backward(sublayer(dy, cache.inner), cache.norm, gradients)
      dx.add(dy)
      return dx
    case .sandwich:
      preconditionFailure("training has no sandwich norms (TrainingExample.validate refuses them)")
    }
  }
}

struct LayerPass {
  let selfAttention: AttentionPass
  let selfAttentionNorm: LayerNormPass
  let crossAttention: (attention: AttentionPass, norm: LayerNormPass)?
  let feedForward: FeedForwardPass
  let feedForwardNorm: LayerNormPass
  let placement: NormPlacement

  init(_ parameters: ParameterStore, _ name: String, config: ModelConfig, cross: Bool) {
    let eps = config.layerNormEps
    selfAttention = AttentionPass(parameters, "\(name).self_attn", config: config)
    selfAttentionNorm = LayerNormPass(parameters, "\(name).self_attn_norm", epsilon: eps)
    crossAttention =
      cross
      ? (
        AttentionPass(parameters, "\(name).cross_attn", config: config),
        LayerNormPass(parameters, "\(name).cross_attn_norm", epsilon: eps)
      ) : nil
    feedForward = FeedForwardPass(parameters, "\(name).ffn", activation: config.activation)
    feedForwardNorm = LayerNormPass(parameters, "\(name).ffn_norm", epsilon: eps)
    placement = config.norm
  }

  struct Cache {
    var selfAttention: ResidualCache<AttentionPass.Cache>
    var crossAttention: ResidualCache<AttentionPass.Cache>?
    var feedForward: ResidualCache<FeedForwardPass.Cache>
  }

  /// x [N, d] → [N, d]; `memory` is the packed encoder output [N_src, d] for cross-attention.
  func forward(
    _ x: Tensor, _ segments: Segments, causal: Bool, memory: (Tensor, Segments)?
  ) -> (Tensor, Cache) {
    var (h, selfCache) = placement.forward(x, selfAttentionNorm) {
      selfAttention.forward($0, segments, causal: causal)
    }
    var crossCache: ResidualCache<AttentionPass.Cache>?
    if let (attention, norm) = crossAttention, let (memoryRows, memorySegments) = memory {
      (h, crossCache) = placement.forward(h, norm) {
        attention.forward($0, segments, over: memoryRows, memorySegments, causal: false)
      }
    }
    let (y, ffnCache) = placement.forward(h, feedForwardNorm) { feedForward.forward($0) }
    return (y, Cache(selfAttention: selfCache, crossAttention: crossCache, feedForward: ffnCache))
  }

  /// dy [N, d] → dx [N, d]; cross-attention adds its key/value gradient onto `dMemory` [N_src, d].
  func backward(_ dy: Tensor, _ cache: Cache, _ gradients: GradientBuffer, dMemory: inout Tensor?) -> Tensor {
    var dh = placement.backward(dy, cache.feedForward, feedForwardNorm, gradients) {
      feedForward.backward($0, $1, gradients)
    }
    if let (attention, norm) = crossAttention, let crossCache = cache.crossAttention {
      dh = placement.backward(dh, crossCache, norm, gradients) { dOut, inner in
        let (dQuery, dSource) = attention.backward(dOut, inner, gradients)
        if let dSource { dMemory?.add(dSource) }
        return dQuery
      }
    }
    return placement.backward(dh, cache.selfAttention, selfAttentionNorm, gradients) {
      selfAttention.backward($0, $1, gradients).dx
    }
  }
}
