// A short training run must learn, and every bundled sample must still meet its held-out bar.
import Foundation
import Testing

@testable import TaskTraining
@testable import Transformer
@testable import Workbench

@Suite(.serialized) struct TaskTrainingTests {
  /// 400 steps of `reverse` (about 1/8 of the sample's schedule) already reverse most strings.
  @Test func shortReverseTrainingLearns() throws {
    var settings = TrainingSettings(task: .reverse, seed: 3, steps: 400)
    settings.evaluationInterval = 0
    settings.evaluationExamples = 50
    let trainer = try TaskTrainer(task: .reverse, settings: settings)
    var losses: [Float] = []
    let outcome = try trainer.run(progress: { losses.append($0.loss) }, shouldStop: { false })
    #expect(outcome.ending == .finished && outcome.stepsDone == 400)
    #expect(losses.last! < losses.first! / 4, "loss fell: \(losses.first!) → \(losses.last!)")
    let metrics = try trainer.data.evaluate(
      TransformerModel(config: trainer.config, parameters: outcome.parameters), count: 100)
    #expect(metrics.accuracy >= 0.3, "\(metrics.summary)")
  }

  @Test func stopRequestKeepsTheParameters() throws {
    let trainer = try TaskTrainer(
      task: .reverse, settings: TrainingSettings(task: .reverse, seed: 1, steps: 50))
    var polls = 0
    let outcome = try trainer.run(
      progress: { _ in },
      shouldStop: {
        polls += 1; return polls > 5
      })
    #expect(outcome.ending == .interrupted(atStep: 5))
    #expect(outcome.parameters.tensors.count == trainer.config.parameterSpecs.count)
  }

  /// A NaN loss stops the run at that step and keeps the last parameters whose loss was finite.
  @Test func divergenceKeepsTheLastGoodParameters() throws {
    var settings = TrainingSettings(task: .reverse, seed: 1, steps: 20)
    settings.peakLearningRate = .nan  // the first update poisons every weight
    settings.evaluationInterval = 0
    let trainer = try TaskTrainer(task: .reverse, settings: settings)
    let outcome = try trainer.run(progress: { _ in }, shouldStop: { false })
    #expect(outcome.ending == .diverged(atStep: 1))
    #expect(outcome.parameters.tensors.values.allSatisfy { $0.scalars.allSatisfy { $0.isFinite } })
  }

  /// The bars of the training issue, on 100 held-out examples each.
  @Test(arguments: [
    ("en-it", 0.95, 0.80), ("reverse", 0.99, 0.90), ("induction", 0.95, 0.50),
  ])
  func bundledSampleMeetsItsBar(name: String, accuracy: Double, attention: Double) throws {
    let (folder, _) = try #require(ModelCatalog.resolve(name))
    let model = try LoadedModel(folder: folder, name: name)
    let task = try #require(BuiltinTask(rawValue: model.config.task ?? ""))
    let metrics = try TaskData(task: task, seed: 0).evaluate(model.model, count: 100)
    #expect(metrics.accuracy >= accuracy, "\(metrics.summary)")
    #expect(metrics.attentionScore >= attention, "\(metrics.summary)")
  }

  @Test func vocabulariesStartWithTheSpecials() throws {
    for task in BuiltinTask.allCases {
      let data = try TaskData(task: task, seed: 0)
      #expect(Array(data.target.tokens.prefix(4)) == ["<pad>", "<s>", "</s>", "<unk>"])
      let example = data.trainingExample(data.example(.train, 0))
      #expect(example.targets.last == 2, "the decoder learns to stop")
    }
  }
}
