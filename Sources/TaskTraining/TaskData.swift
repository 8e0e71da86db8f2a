// Task examples as model inputs: words → ids with the special tokens each architecture expects.
import Tasks
import Tokenization
import Training
import Transformer

public struct TaskData: Sendable {
  public let task: BuiltinTask
  public let source: Vocabulary
  public let target: Vocabulary
  public let seed: UInt64

  public init(task: BuiltinTask, seed: UInt64) throws(TokenizationError) {
    self.task = task
    (source, target) = try task.vocabularies()
    self.seed = seed
  }

  public func example(_ split: TaskSplit, _ index: Int) -> TaskExample {
    task.generator.example(split: split, index: index, seed: seed)
  }

  /// Encoder ids (`words` + `</s>`) for encoder-decoder tasks, nil for decoder-only ones.
  public func encoderIDs(_ example: TaskExample) -> [Int]? {
    task == .induction ? nil : ids(example.source, source) + [Vocabulary.endID]
  }

  public func targetIDs(_ example: TaskExample) -> [Int] { ids(example.target, target) }

  /// Teacher forcing: the decoder reads `<s>` + target and must predict target + `</s>`.
  public func trainingExample(_ example: TaskExample) -> TrainingExample {
    .teacherForced(source: encoderIDs(example), target: targetIDs(example))
  }

  /// The batch for one step: consecutive training examples, so every step sees new data.
  public func batch(step: Int, size: Int) -> [TrainingExample] {
    (0..<size).map { trainingExample(example(.train, step * size + $0)) }
  }

  func ids(_ words: [String], _ vocabulary: Vocabulary) -> [Int] {
    words.map { vocabulary.id(of: $0) ?? Vocabulary.unknownID }
  }
}
