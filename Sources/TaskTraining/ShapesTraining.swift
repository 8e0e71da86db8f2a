// The `shapes` task made trainable: a small ViT over 32×32 colour images (8×8 grid of 4×4 patches),
// batches drawn from the generator and normalised exactly as images loaded from files are, and the
// training loop shared with the token tasks.
import Foundation
import Imaging
import Tasks
import Training
import Transformer

public struct ShapesTrainer: Sendable {
  public let task: ShapesTask
  public let config: ModelConfig
  public let settings: TrainingSettings

  /// The defaults of `attnscope train shapes`: enough steps to pass the bars on two cores.
  public static func defaultSettings(seed: UInt64, steps: Int? = nil) -> TrainingSettings {
    var settings = TrainingSettings(
      steps: steps ?? 4000, batchSize: 32, peakLearningRate: 1e-3, warmup: 200, seed: seed)
    settings.evaluationInterval = 500
    settings.evaluationExamples = 300
    return settings
  }

  public init(settings: TrainingSettings, task: ShapesTask = ShapesTask()) {
    self.task = task
    self.settings = settings
    config = Self.config(for: task)
  }

  /// The model shape: pre-norm, learned 1-D positions (so the positional-encoding screen has a
  /// learned table to show, as in the ViT paper's figure 7), GELU.
  public static func config(for task: ShapesTask) -> ModelConfig {
    let vision = VisionSettings(
      imageSize: task.width, patchSize: 4, channels: task.channels, classNames: task.classNames)
    let json = """
      {"architecture": "vit", "d_model": 64, "num_heads": 4, "ffn_dim": 128, "encoder_layers": 3,
       "max_positions": \(vision.patchCount + 1), "positional": "learned", "norm": "pre",
       "activation": "gelu", "layer_norm_eps": 1e-6, "task": "shapes",
       "description": "ViT classifying synthetic shapes (trained by attnscope)"}
      """
    var config = try! ModelConfig(jsonText: json)
    config.vision = vision
    return config
  }

  /// The generator's image as the model reads it: [C, H, W], normalised with the config's mean/std.
  public static func modelInput(_ example: Tasks.ImageExample, _ vision: VisionSettings) -> [Float] {
    Image(width: example.width, height: example.height, channels: example.channels, pixels: example.pixels)
      .normalized(mean: vision.imageMean, std: vision.imageStd, layout: .chw)
  }

  public func batch(step: Int) -> [ImageTrainingExample] {
    (0..<settings.batchSize).map { offset in
      let example = task.example(
        split: .train, index: step * settings.batchSize + offset, seed: settings.seed)
      return ImageTrainingExample(pixels: Self.modelInput(example, config.vision!), label: example.label)
    }
  }

  public func run(progress: (TrainingProgress) -> Void, shouldStop: () -> Bool) throws -> TrainingOutcome {
    try TrainingLoop(config: config, settings: settings, unit: "img").run(
      batchGradients: { step, parameters in
        let batch = batch(step: step)
        let (loss, gradients) = visionLossAndGradients(config: config, parameters: parameters, batch: batch)
        return (loss, gradients, batch.count)
      },
      evaluate: { parameters in
        try ShapesMetrics.evaluate(
          VisionTransformer(config: config, parameters: parameters), task: task, seed: settings.seed,
          count: settings.evaluationExamples)
      }, progress: progress, shouldStop: shouldStop)
  }
}
