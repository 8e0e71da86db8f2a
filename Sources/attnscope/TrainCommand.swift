import ArgumentParser
import Decoding
import Dispatch
import Foundation
import Imaging
import TaskTraining
// `attnscope train TASK`: trains a built-in task in-process and writes a sample folder.
import Tensors
import Training
import Transformer

struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a small model on a built-in task (translate, reverse, induction, shapes).")

  @Argument(help: "translate, reverse, induction or shapes (a ViT).")
  var task: String

  @Option(help: "Optimisation steps (default: the task's own).")
  var steps: Int?

  @Option(help: "Seed for the initial weights and the data order.")
  var seed: UInt64 = 1

  @Option(help: "Output folder (default: trained/<sample name>).")
  var out: String?

  @Flag(help: "Show the attention screen during training, refreshed as the weights change.")
  var watch = false

  @Option(help: "Held-out examples scored after training (the README's metrics).")
  var evalExamples = 500

  func validate() throws {
    checkFlags { () throws(DomainError) in
      try FlagDomains.steps.check(steps, "--steps")
      try FlagDomains.examples.check(evalExamples, "--eval-examples")
    }
  }

  func run() throws {
    do {
      if task == "shapes" { return try trainShapes() }
      guard let builtin = BuiltinTask(rawValue: task) else {
        throw UserFacingError(
          description: "unknown task '\(task)'; choose translate, reverse, induction or shapes")
      }
      let folder = out ?? "trained/\(builtin.sampleName)"
      try checkWritable(folder)
      let settings = TrainingSettings(task: builtin, seed: seed, steps: steps)
      let trainer = try TaskTrainer(task: builtin, settings: settings)
      let outcome: TrainingOutcome
      if watch {
        let session = try TrainingWatch(trainer: trainer, color: nil)
        defer { session.close() }
        outcome = try trainer.run(progress: session.progress, shouldStop: session.shouldStop)
      } else {
        let interrupt = InterruptFlag()
        let reporter = ProgressReporter(interactive: isatty(STDERR_FILENO) == 1)
        outcome = try trainer.run(progress: reporter.report, shouldStop: interrupt.isSet)
        reporter.finish()
      }
      try save(outcome, trainer: trainer, builtin: builtin, folder: folder)
    } catch {
      exitWithMessage(error)
    }
  }

  func save(_ outcome: TrainingOutcome, trainer: TaskTrainer, builtin: BuiltinTask, folder: String) throws {
    let model = TransformerModel(config: trainer.config, parameters: outcome.parameters)
    let metrics = try trainer.data.evaluate(model, count: evalExamples)
    var command = "attnscope train \(task) --seed \(seed)"
    if let steps { command += " --steps \(steps)" }
    try SampleWriter.write(
      to: folder, config: trainer.config, parameters: outcome.parameters, data: trainer.data,
      metadata: [
        "task": builtin.rawValue, "seed": String(seed), "steps": String(outcome.stepsDone),
        "command": command,
      ])
    let readme = SampleWriter.readme(
      name: URL(fileURLWithPath: folder).lastPathComponent, task: builtin.rawValue, command: command,
      seed: seed,
      steps: outcome.stepsDone, seconds: outcome.elapsed.seconds, metrics: metrics, config: trainer.config)
    try Data((readme + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/README.md"))
    try report(outcome, folder: folder)
    Output.line(metrics.summary)
  }

  /// `train shapes`: the ViT sample. `--watch` is not offered: the live screen shows text models.
  func trainShapes() throws {
    if watch { throw UserFacingError(description: "--watch is for the text tasks; shapes trains without it") }
    let folder = out ?? "trained/shapes-vit"
    try checkWritable(folder)
    let trainer = ShapesTrainer(settings: ShapesTrainer.defaultSettings(seed: seed, steps: steps))
    let interrupt = InterruptFlag()
    let reporter = ProgressReporter(interactive: isatty(STDERR_FILENO) == 1)
    let outcome = try trainer.run(progress: reporter.report, shouldStop: interrupt.isSet)
    reporter.finish()
    let metrics = try ShapesMetrics.evaluate(
      VisionTransformer(config: trainer.config, parameters: outcome.parameters), task: trainer.task,
      seed: seed, count: evalExamples)
    var command = "attnscope train shapes --seed \(seed)"
    if let steps { command += " --steps \(steps)" }
    // A held-out image as the folder's example (what `view` and `classify` show by default).
    let example = trainer.task.example(split: .heldOut, index: 0, seed: seed)
    let png = try ImageFile.encode(
      Image(width: example.width, height: example.height, channels: example.channels, pixels: example.pixels),
      as: .png)
    try SampleWriter.write(
      to: folder, config: trainer.config, parameters: outcome.parameters,
      metadata: [
        "task": "shapes", "seed": String(seed), "steps": String(outcome.stepsDone), "command": command,
      ], extraFiles: [("example.png", Data(png))])
    let readme = SampleWriter.readme(
      name: URL(fileURLWithPath: folder).lastPathComponent, task: "shapes", command: command, seed: seed,
      steps: outcome.stepsDone, seconds: outcome.elapsed.seconds, metrics: metrics, config: trainer.config)
    try Data((readme + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/README.md"))
    try report(outcome, folder: folder)
    Output.line(metrics.summary)
  }

  func report(_ outcome: TrainingOutcome, folder: String) throws {
    switch outcome.ending {
    case .finished:
      Output.line("trained \(outcome.stepsDone) steps in \(Int(outcome.elapsed.seconds)) s; wrote \(folder)")
    case .interrupted(let step):
      Output.line("interrupted at step \(step); checkpoint saved in \(folder)")
    case .diverged(let step):
      throw UserFacingError(
        description: "the loss became NaN at step \(step + 1); the last good checkpoint is in \(folder)")
    }
  }

  /// Fails before training if the output folder cannot be created or written.
  func checkWritable(_ folder: String) throws {
    let probe = folder + "/.attnscope-write-test"
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try Data().write(to: URL(fileURLWithPath: probe))
      try FileManager.default.removeItem(atPath: probe)
    } catch {
      throw UserFacingError(description: "cannot write to --out \(folder)")
    }
  }
}

/// Set by Ctrl-C (SIGINT) so the loop can stop between steps and save.
final class InterruptFlag: @unchecked Sendable {
  // Guarded by `lock`: written on the signal queue, read by the training loop.
  private var raised = false
  private let lock = NSLock()
  private let source: DispatchSourceSignal

  init() {
    signal(SIGINT, SIG_IGN)
    source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { [lock] in
      lock.lock()
      self.raised = true
      lock.unlock()
    }
    source.resume()
  }

  func isSet() -> Bool {
    lock.lock()
    defer { lock.unlock() }
    return raised
  }
}
