// The optimisation loop every built-in task shares: AdamW with warm-up and cosine decay, gradient
// clipping, periodic held-out evaluation, and a stop that keeps the last good parameters. What a
// batch is and how a model is scored come in as closures, so token tasks and the shapes ViT differ
// only there.
import Foundation
import Tensors
import Training
import Transformer

struct TrainingLoop {
  let config: ModelConfig
  let settings: TrainingSettings
  /// What `TrainingProgress.tokensPerSecond` counts.
  var unit = "tok"

  /// `batchGradients(step, parameters)` gives the batch's mean loss, its gradients and how many
  /// tokens (or images) it held; `evaluate` scores the parameters on held-out examples.
  func run(
    batchGradients: (Int, ParameterStore) -> (loss: Float, gradients: Gradients, countedTokens: Int),
    evaluate: (ParameterStore) throws -> TaskMetrics,
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
    var items = 0
    // The parameters whose loss was last seen finite: what a diverged run saves.
    var lastGood = parameters
    for step in 0..<settings.steps {
      let outcome = { (ending: TrainingOutcome.Ending, kept: ParameterStore) in
        TrainingOutcome(ending: ending, parameters: kept, stepsDone: step, elapsed: clock.now - start)
      }
      if shouldStop() { return outcome(.interrupted(atStep: step), parameters) }
      var (loss, gradients, counted) = batchGradients(step, parameters)
      guard loss.isFinite, gradients.norm.isFinite else { return outcome(.diverged(atStep: step), lastGood) }
      lastGood = parameters
      clipGradients(&gradients, maxNorm: 1)
      optimizer.step(&parameters, gradients, learningRate: schedule.rate(at: step))
      items += counted
      let done = step + 1
      let evaluateNow =
        done == settings.steps || (settings.evaluationInterval > 0 && done % settings.evaluationInterval == 0)
      if evaluateNow || done % 10 == 0 {
        let elapsed = clock.now - start
        var report = TrainingProgress(
          step: done, totalSteps: settings.steps, loss: loss,
          tokensPerSecond: Double(items) / max(1e-9, elapsed.seconds), elapsed: elapsed,
          heldOut: evaluateNow ? try evaluate(parameters) : nil, parameters: parameters)
        report.unit = unit
        progress(report)
      }
    }
    return TrainingOutcome(
      ending: .finished, parameters: parameters, stepsDone: settings.steps, elapsed: clock.now - start)
  }
}
