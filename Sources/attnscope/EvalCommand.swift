import ArgumentParser
import Decoding
import Foundation
import TaskTraining
import Tasks
// `attnscope eval --model MODEL`: the held-out metrics of a bundled or trained model.
import Tensors
import Workbench

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval", abstract: "Print the held-out metrics of a model trained on a built-in task.")

  @OptionGroup var modelChoice: ModelChoice

  @Option(help: "Held-out examples to score.")
  var examples: Int = 500

  func validate() throws {
    checkFlags { () throws(DomainError) in try FlagDomains.examples.check(examples, "--examples") }
  }

  func run() throws {
    do {
      let loaded: LoadedModel
      switch try modelChoice.open() {
      case .image(let vision): return try evaluateShapes(vision)
      case .text(let text): loaded = text
      }
      guard let name = loaded.config.task, let task = BuiltinTask(rawValue: name) else {
        throw UserFacingError(
          description: "\(loaded.name) was not trained on a built-in task (config.json has no known \"task\")"
        )
      }
      // Held-out examples are chosen by hash, so any seed gives examples never seen in training.
      let data = try TaskData(task: task, seed: 0)
      guard data.source.tokens == loaded.sourceTokenizer.vocabulary.tokens,
        data.target.tokens == loaded.targetTokenizer.vocabulary.tokens
      else {
        throw UserFacingError(description: "\(loaded.name): vocabulary differs from the \(name) task's")
      }
      Output.line(try data.evaluate(loaded.model, count: examples).summary)
    } catch {
      exitWithMessage(error)
    }
  }

  /// A ViT trained on `shapes`: accuracy and the [CLS]-attention bar on held-out images.
  func evaluateShapes(_ loaded: LoadedVisionModel) throws {
    let task = ShapesTask()
    guard loaded.config.task == "shapes", loaded.vision.classNames == task.classNames,
      loaded.vision.imageSize == task.width
    else {
      throw UserFacingError(description: "\(loaded.name) was not trained on the shapes task")
    }
    // Held-out images are chosen by their key, so any seed gives images never seen in training.
    Output.line(try ShapesMetrics.evaluate(loaded.model, task: task, seed: 0, count: examples).summary)
  }
}
