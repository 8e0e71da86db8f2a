// The training entry point for Vision Transformers: mean cross-entropy of a batch of labelled
// images and its gradient for every parameter, split over threads like `lossAndGradients`.
import Tensors
import Transformer

/// One image, [C, H, W] flattened and normalised, at the model's input size, with its class.
public struct ImageTrainingExample: Sendable, Equatable {
  public var pixels: [Float]
  public var label: Int

  public init(pixels: [Float], label: Int) {
    self.pixels = pixels
    self.label = label
  }

  /// Checks the example fits a `"vit"` config: the pixel count and the class index.
  public func validate(for config: ModelConfig) throws(ModelError) {
    guard let vision = config.vision else { throw ModelError("training example: not a \"vit\" model") }
    let expected = vision.channels * vision.imageSize * vision.imageSize
    guard pixels.count == expected else {
      throw ModelError("training example: \(pixels.count) pixel values, the model expects \(expected)")
    }
    guard (0..<vision.classCount).contains(label) else {
      throw ModelError("training example: class \(label) outside 0..<\(vision.classCount)")
    }
  }
}

/// The mean cross-entropy over the batch (as `F.cross_entropy(logits, labels)`), its gradient for
/// every parameter, and the number of images. Every example must pass `validate(for: config)`.
public func visionLossAndGradients(
  config: ModelConfig, parameters: ParameterStore, batch: [ImageTrainingExample],
  threads: Int = defaultTrainingThreads
) -> (loss: Float, gradients: Gradients) {
  for example in batch {
    do { try example.validate(for: config) } catch { preconditionFailure(error.description) }
  }
  let model = VisionPass(config: config, parameters: parameters)
  let parts = max(1, min(threads, batch.count))
  let chunks = (0..<parts).map { part in
    Array(batch[(batch.count * part / parts)..<(batch.count * (part + 1) / parts)])
  }
  let scale: Float = batch.isEmpty ? 0 : 1 / Float(batch.count)
  let (lossSum, gradients) = accumulateOverParts(specs: config.parameterSpecs, parts: parts) {
    index, buffer in
    let (logits, cache) = model.forward(chunks[index].map(\.pixels))
    let (sum, dLogits) = CrossEntropy.lossAndGradient(
      logits, targets: chunks[index].map(\.label), scale: scale)
    model.backward(dLogits, cache, buffer)
    return sum
  }
  return (batch.isEmpty ? 0 : Float(lossSum / Double(batch.count)), gradients)
}
