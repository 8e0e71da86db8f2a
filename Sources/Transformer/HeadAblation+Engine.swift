// Applies a `HeadAblation` to a model: a copy whose attention sublayers zero the chosen heads'
// outputs before their output projections (MultiHeadAttention.silence). Every forward path — the
// full pass, the KV-cached step, the batched beam step, the ViT — reads the same layers, so the
// ablated copy is ablated everywhere. The weights are shared with the original, not copied.
import Trace

extension TransformerLayer {
  /// This layer with `ablation`'s heads silenced in its self- and cross-attention.
  func ablating(_ ablation: HeadAblation, stack: AttentionStack, selfKind: AttentionKind, layer: Int)
    -> TransformerLayer
  {
    var copy = self
    copy.selfAttention.silencedHeads = ablation.heads(stack: stack, kind: selfKind, layer: layer)
    copy.crossAttention?.attention.silencedHeads = ablation.heads(stack: stack, kind: .cross, layer: layer)
    return copy
  }
}

extension TransformerStack {
  func ablating(_ ablation: HeadAblation) -> TransformerStack {
    var copy = self
    copy.layers = layers.enumerated().map {
      $1.ablating(ablation, stack: role, selfKind: selfAttentionKind, layer: $0)
    }
    return copy
  }
}

extension TransformerModel {
  /// The attention sublayers and their sizes, as `--ablate` names them: encoder self, decoder
  /// masked, decoder cross (those the model has).
  public var attentionSublayers: [(stack: AttentionStack, kind: AttentionKind, layers: Int, heads: Int)] {
    var result: [(stack: AttentionStack, kind: AttentionKind, layers: Int, heads: Int)] = []
    if let encoder {
      result.append((.encoder, encoder.selfAttentionKind, encoder.layers.count, config.numHeads))
    }
    if let decoder {
      result.append((.decoder, decoder.selfAttentionKind, decoder.layers.count, config.numHeads))
      if decoder.layers.first?.crossAttention != nil {
        result.append((.decoder, .cross, decoder.layers.count, config.numHeads))
      }
    }
    return result
  }

  /// A copy of this model with `ablation`'s heads switched off (an empty ablation restores the
  /// model as trained, whatever this copy had).
  public func ablating(_ ablation: HeadAblation) -> TransformerModel {
    var copy = self
    copy.encoder = encoder?.ablating(ablation)
    copy.decoder = decoder?.ablating(ablation)
    return copy
  }
}

extension VisionTransformer {
  /// The same for the ViT's encoder self-attention.
  public func ablating(_ ablation: HeadAblation) -> VisionTransformer {
    var copy = self
    copy.layers = layers.enumerated().map {
      $1.ablating(ablation, stack: .encoder, selfKind: .self, layer: $0)
    }
    return copy
  }
}
