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
    self.steps = steps ?? defaults.steps
    batchSize = defaults.batchSize
    peakLearningRate = defaults.peakLearningRate
    warmupSteps = min(defaults.warmup, max(1, self.steps / 10))
    self.seed = seed
  }
}

public struct TrainingProgress: Sendable {
  public var step: Int
  public var totalSteps: Int
  public var loss: Float
  public var tokensPerSecond: Double
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
    var parameters = ParameterStore(randomFor: config, seed: settings.seed)
    var optimizer = AdamW(
      learningRate: settings.peakLearningRate, beta1: 0.9, beta2: 0.98, epsilon: 1e-9,
      weightDecay: 0.01, decayScope: .matricesOnly)
    let schedule = LearningRateSchedule(
      warmupSteps: settings.warmupSteps, totalSteps: settings.steps, peak: settings.peakLearningRate,
      final: settings.peakLearningRate / 20)
    let clock = ContinuousClock()
    let start = clock.now
    var tokens = 0
    // The parameters whose loss was last seen finite: what a diverged run saves.
    var lastGood = parameters
    for step in 0..<settings.steps {
      let outcome = { (ending: TrainingOutcome.Ending, kept: ParameterStore) in
        TrainingOutcome(ending: ending, parameters: kept, stepsDone: step, elapsed: clock.now - start)
      }
      if shouldStop() { return outcome(.interrupted(atStep: step), parameters) }
      let batch = data.batch(step: step, size: settings.batchSize)
      var (loss, gradients, counted) = lossAndGradients(config: config, parameters: parameters, batch: batch)
      guard loss.isFinite, gradients.norm.isFinite else { return outcome(.diverged(atStep: step), lastGood) }
      lastGood = parameters
      clipGradients(&gradients, maxNorm: 1)
      optimizer.step(&parameters, gradients, learningRate: schedule.rate(at: step))
      tokens += counted
      let done = step + 1
      let evaluate =
        done == settings.steps || (settings.evaluationInterval > 0 && done % settings.evaluationInterval == 0)
      if evaluate || done % 10 == 0 {
        let elapsed = clock.now - start
        let metrics =
          evaluate
          ? try data.evaluate(
            TransformerModel(config: config, parameters: parameters), count: settings.evaluationExamples)
          : nil
        progress(
          TrainingProgress(
            step: done, totalSteps: settings.steps, loss: loss,
            tokensPerSecond: Double(tokens) / max(1e-9, elapsed.seconds), elapsed: elapsed, heldOut: metrics,
            parameters: parameters))
      }
    }
    return TrainingOutcome(
      ending: .finished, parameters: parameters, stepsDone: settings.steps, elapsed: clock.now - start)
  }
}

extension Duration {
  public var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
