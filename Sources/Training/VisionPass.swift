// A Vision Transformer for training (Dosovitskiy et al. 2021, eq. 1–4): patch projection, [CLS] and
// positions, the encoder layers over a packed batch (one segment of 1 + N rows per image), the
// final LayerNorm of a pre-norm model, and the classifier on each image's [CLS] row. Backward runs
// the same steps in reverse; fixed 2-D positions get no gradient.
import Tensors
import Transformer

struct VisionPass {
  let config: ModelConfig
  let vision: VisionSettings
  let patchEmbedding: LinearPass
  let classToken: [Float]  // [d]
  let positions: Tensor  // [1 + N, d]
  let learnedPositions: Bool
  let layers: [LayerPass]
  let finalNorm: LayerNormPass?
  let classifier: LinearPass

  init(config: ModelConfig, parameters: ParameterStore) {
    self.config = config
    vision = config.vision!
    patchEmbedding = LinearPass(parameters, "patch_embed")
    classToken = parameters["cls_token"].scalars
    positions = VisionTransformer.positionTable(config: config, parameters: parameters)
    learnedPositions = config.positional == .learned
    layers = (0..<config.encoderLayers).map {
      LayerPass(parameters, "encoder.layers.\($0)", config: config, cross: false)
    }
    finalNorm =
      config.norm == .pre
      ? LayerNormPass(parameters, "encoder.final_norm", epsilon: config.layerNormEps) : nil
    classifier = LinearPass(parameters, "classifier")
  }

  struct Cache {
    var patches: Tensor  // [B·N, C·P·P]
    var segments: Segments  // B segments of 1 + N rows
    var layers: [LayerPass.Cache] = []
    var finalNorm: LayerNormPass.Cache?
    var classStates: Tensor  // the classifier's input, [B, d]
  }

  /// images (each [C, H, W] flattened, normalised) → logits [B, K].
  func forward(_ images: [[Float]]) -> (Tensor, Cache) {
    let (n, d) = (vision.patchCount, config.dModel)
    var patches = Tensor(zeros: [images.count * n, vision.patchDimension])
    for (index, image) in images.enumerated() {
      let own = VisionTransformer.patches(of: image, vision)  // [N, C·P·P]
      patches.scalars.replaceSubrange(
        (index * own.count)..<((index + 1) * own.count), with: own.scalars)
    }
    let projected = patchEmbedding.forward(patches)  // [B·N, d]
    let segments = Segments(lengths: Array(repeating: n + 1, count: images.count))
    var x = Tensor(zeros: [segments.rows, d])  // [B·(1+N), d]
    for (image, start) in segments.starts.enumerated() {
      for c in 0..<d { x[start, c] = classToken[c] + positions[0, c] }
      for row in 0..<n {
        for c in 0..<d { x[start + 1 + row, c] = projected[image * n + row, c] + positions[row + 1, c] }
      }
    }
    var layerCaches: [LayerPass.Cache] = []
    for layer in layers {
      let (y, layerCache) = layer.forward(x, segments, causal: false, memory: nil)
      x = y
      layerCaches.append(layerCache)
    }
    var normCache: LayerNormPass.Cache?
    if let finalNorm { (x, normCache) = finalNorm.forward(x) }
    var classStates = Tensor(zeros: [images.count, d])  // [B, d]
    for (image, start) in segments.starts.enumerated() {
      for c in 0..<d { classStates[image, c] = x[start, c] }
    }
    let cache = Cache(
      patches: patches, segments: segments, layers: layerCaches, finalNorm: normCache,
      classStates: classStates)
    return (classifier.forward(classStates), cache)  // [B, d] → [B, K]
  }

  /// dLogits [B, K] → every parameter's gradient, added into `gradients`.
  func backward(_ dLogits: Tensor, _ cache: Cache, _ gradients: GradientBuffer) {
    let (n, d) = (vision.patchCount, config.dModel)
    let dClassStates = classifier.backward(dLogits, input: cache.classStates, gradients)  // [B, d]
    var dx = Tensor(zeros: [cache.segments.rows, d])
    for (image, start) in cache.segments.starts.enumerated() {
      for c in 0..<d { dx[start, c] = dClassStates[image, c] }
    }
    if let finalNorm, let normCache = cache.finalNorm { dx = finalNorm.backward(dx, normCache, gradients) }
    for (layer, layerCache) in zip(layers, cache.layers).reversed() {
      var noMemory: Tensor? = nil
      dx = layer.backward(dx, layerCache, gradients, dMemory: &noMemory)
    }
    let dClass = gradients.pointer("cls_token")
    let dPositions = learnedPositions ? gradients.pointer("encoder.embed_positions.weight") : nil
    var dProjected = Tensor(zeros: [cache.patches.rows, d])  // [B·N, d]
    for (image, start) in cache.segments.starts.enumerated() {
      for row in 0...n {
        for c in 0..<d {
          let g = dx[start + row, c]
          if row == 0 { dClass[c] += g } else { dProjected[image * n + row - 1, c] = g }
          dPositions?[row * d + c] += g
        }
      }
    }
    var unusedInput = Tensor(zeros: cache.patches.shape)
    patchEmbedding.backward(dProjected, input: cache.patches, gradients, addingTo: &unusedInput)
  }
}
