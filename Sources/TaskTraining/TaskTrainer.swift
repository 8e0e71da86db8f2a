// The training loop for a built-in task: AdamW with warm-up and cosine decay, gradient clipping,
// periodic held-out evaluation, and a stop that keeps the last good parameters.
import Foundation
import Tensors
import Training
import Transformer

public struct TrainingSettings: Sendable {
  public var steps: Int
  public var batchSize: Int
  public var peakLearningRate: Float
  public var warmupSteps: Int
  public var seed: UInt64
  /// Steps between held-out evaluations (0: only at the end).
  public var evaluationInterval: Int = 500
  public var evaluationExamples: Int = 100

  public init(task: BuiltinTask, seed: UInt64, steps: Int? = nil) {
    let defaults = task.defaults
    self.init(
      steps: steps ?? defaults.steps, batchSize: defaults.batchSize,
      peakLearningRate: defaults.peakLearningRate, warmup: defaults.warmup, seed: seed)
  }

  /// Warm-up is capped at a tenth of the run, so short runs still reach the peak rate.
  public init(steps: Int, batchSize: Int, peakLearningRate: Float, warmup: Int, seed: UInt64) {
    self.steps = steps
    self.batchSize = batchSize
    self.peakLearningRate = peakLearningRate
    warmupSteps = min(warmup, max(1, steps / 10))
    self.seed = seed
  }
}

public struct TrainingProgress: Sendable {
  public var step: Int
  public var totalSteps: Int
  public var loss: Float
  /// Tokens (or, for the shapes ViT, images) per second.
  public var tokensPerSecond: Double
  /// What `tokensPerSecond` counts: "tok" or "img".
  public var unit = "tok"
  public var elapsed: Duration
  public var heldOut: TaskMetrics?
  /// The parameters after this step (shared storage, not a copy), for a live view of attention.
  public var parameters: ParameterStore

  public var remaining: Duration {
    guard step > 0 else { return .zero }
    return elapsed / Double(step) * Double(totalSteps - step)
  }
}

/// How a run ended; the parameters are always the last good ones.
public struct TrainingOutcome: Sendable {
  public enum Ending: Sendable, Equatable {
    case finished
    case interrupted(atStep: Int)
    /// The loss became NaN or infinite at this step; training stopped before applying it.
    case diverged(atStep: Int)
  }
  public var ending: Ending
  public var parameters: ParameterStore
  public var stepsDone: Int
  public var elapsed: Duration
}

public struct TaskTrainer: Sendable {
  public let data: TaskData
  public let config: ModelConfig
  public let settings: TrainingSettings

  public init(task: BuiltinTask, settings: TrainingSettings) throws {
    data = try TaskData(task: task, seed: settings.seed)
    config = task.config(sourceVocabulary: data.source.count, targetVocabulary: data.target.count)
    self.settings = settings
  }

  /// Trains from a seeded initialisation. `progress` is called every few steps and after every
  /// evaluation; `shouldStop` is polled every step (Ctrl-C).
  public func run(
    progress: (TrainingProgress) -> Void, shouldStop: () -> Bool
  ) throws -> TrainingOutcome {
    try TrainingLoop(config: config, settings: settings).run(
      batchGradients: { step, parameters in
        let batch = data.batch(step: step, size: settings.batchSize)
        return lossAndGradients(config: config, parameters: parameters, batch: batch)
      },
      evaluate: { parameters in
        try data.evaluate(
          TransformerModel(config: config, parameters: parameters), count: settings.evaluationExamples)
      }, progress: progress, shouldStop: shouldStop)
  }
}

extension Duration {
  public var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
