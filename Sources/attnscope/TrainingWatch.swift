// `attnscope train --watch`: the attention screen during training, redrawn as the weights change,
// so the user sees attention take shape while the loss falls.
import AppCore
import Foundation
import Render
import TaskTraining
import Terminal
import Transformer
import Workbench

final class TrainingWatch {
  let screen: TerminalScreen
  let trainer: TaskTrainer
  private var state: AppState?
  private var stopRequested = false
  private var lastDraw = ContinuousClock.now
  /// Redraws at most this often: tracing and drawing must not slow training down noticeably.
  let interval = Duration.milliseconds(250)

  init(trainer: TaskTrainer, color: ColorDepth?) throws {
    self.trainer = trainer
    screen = try TerminalScreen.open(colorDepth: color)
  }

  /// Called by the training loop every few steps: handles keys, then redraws with a fresh trace.
  func progress(_ progress: TrainingProgress) {
    handleInput()
    guard progress.heldOut != nil || ContinuousClock.now - lastDraw >= interval else { return }
    lastDraw = .now
    let config = trainer.config
    let model = LoadedModel(
      name: "training \(trainer.data.task.rawValue)", config: config,
      model: TransformerModel(config: config, parameters: progress.parameters),
      sourceTokenizer: AttnscopeText.makeTokenizer(trainer.data.source, config: config),
      targetTokenizer: AttnscopeText.makeTokenizer(trainer.data.target, config: config))
    guard let text = config.defaultText,
      let result = try? model.trace(text: text, target: config.defaultTarget)
    else { return }
    var description = String(
      format: "step %d/%d, loss %.4f, %.0f tok/s", progress.step, progress.totalSteps, progress.loss,
      progress.tokensPerSecond)
    if let metrics = progress.heldOut {
      description += String(format: ", held-out %.1f%%", metrics.accuracy * 100)
    }
    if state == nil {
      state = AppState(trace: result.trace, modelDescription: description, depth: screen.colorDepth)
      state!.decodingEnabled = false
    } else {
      state!.replaceTrace(result.trace)
      state!.modelDescription = description
    }
    screen.draw(AttentionScreen.view(state!, size: screen.size))
  }

  /// `q` or Ctrl-C (or SIGTERM/SIGHUP) stops training between steps; the run then saves.
  func shouldStop() -> Bool {
    handleInput()
    return stopRequested
  }

  private func handleInput() {
    if screen.terminationSignal != nil { stopRequested = true }
    while let event = screen.nextEvent(timeoutMilliseconds: 0) {
      guard var current = state else {
        if case .key(let key) = event, key == .character("q") || key == .control("c") { stopRequested = true }
        continue
      }
      if update(&current, event, size: screen.size).contains(.quit) { stopRequested = true }
      state = current
      screen.draw(AttentionScreen.view(current, size: screen.size))
    }
  }

  func close() { screen.close() }
}
