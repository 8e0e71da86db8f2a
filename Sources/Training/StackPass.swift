// An encoder or decoder stack for training: embedding, the layers, and the final LayerNorm of a
// pre-norm model. Backward runs the layers in reverse and ends in the embedding tables.
import Tensors
import Transformer

struct StackPass {
  let embedding: EmbeddingPass
  let layers: [LayerPass]
  let finalNorm: LayerNormPass?
  /// Decoder self-attention is causal.
  let causal: Bool

  init(
    _ parameters: ParameterStore, stack: String, layerCount: Int, config: ModelConfig, cross: Bool,
    sinusoidal: Tensor?
  ) {
    embedding = EmbeddingPass(parameters, stack: stack, config: config, sinusoidal: sinusoidal)
    layers = (0..<layerCount).map {
      LayerPass(parameters, "\(stack).layers.\($0)", config: config, cross: cross)
    }
    finalNorm =
      config.norm == .pre
      ? LayerNormPass(parameters, "\(stack).final_norm", epsilon: config.layerNormEps) : nil
    causal = stack == "decoder"
  }

  struct Cache {
    var ids: [Int]
    var segments: Segments
    var layers: [LayerPass.Cache] = []
    var finalNorm: LayerNormPass.Cache?
  }

  /// ids [N] packed by `segments` → hidden [N, d]; `memory` is the packed encoder output.
  func forward(_ ids: [Int], _ segments: Segments, memory: (Tensor, Segments)?) -> (Tensor, Cache) {
    var cache = Cache(ids: ids, segments: segments)
    var x = embedding.forward(ids, segments)  // [N, d]
    for layer in layers {
      let (y, layerCache) = layer.forward(x, segments, causal: causal, memory: memory)
      x = y
      cache.layers.append(layerCache)
    }
    if let finalNorm {
      let (y, normCache) = finalNorm.forward(x)
      (x, cache.finalNorm) = (y, normCache)
    }
    return (x, cache)
  }

  /// dy [N, d] → parameter gradients down to the embeddings; cross-attention adds onto `dMemory`.
  func backward(_ dy: Tensor, _ cache: Cache, _ gradients: GradientBuffer, dMemory: inout Tensor?) {
    var dx = dy
    if let finalNorm, let normCache = cache.finalNorm { dx = finalNorm.backward(dx, normCache, gradients) }
    for (layer, layerCache) in zip(layers, cache.layers).reversed() {
      dx = layer.backward(dx, layerCache, gradients, dMemory: &dMemory)
    }
    embedding.backward(dx, cache.ids, cache.segments, gradients)
  }
}
