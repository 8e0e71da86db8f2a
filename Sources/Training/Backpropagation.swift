// The training entry point: mean token cross-entropy of a batch (teacher forcing) and its gradient
// with respect to every parameter, the batch split across threads with per-thread gradients summed
// in a fixed order (so results do not depend on scheduling).
import Dispatch
import Foundation
import Tensors
import Transformer

extension TrainingExample {
  /// Checks the example fits `config`: the id lists its architecture reads, non-empty, inside the
  /// vocabularies and the position table, and one target per output position.
  public func validate(for config: ModelConfig) throws(ModelError) {
    // The backward pass covers attnscope's own layers; an LLM's options are for inference only.
    guard config.languageModel == nil, config.norm != .sandwich else {
      throw ModelError("training supports attnscope's own configs, not \"language_model\" options")
    }
    func check(_ ids: [Int]?, _ stack: String, _ vocabulary: Int) throws(ModelError) -> Int {
      try config.checkedIDs(ids, "training example: \(stack) input", vocabulary: vocabulary).count
    }
    var outputs = 0
    if config.architecture.hasEncoder { outputs = try check(encoderIDs, "encoder", config.encoderVocabSize) }
    if config.architecture.hasDecoder { outputs = try check(decoderIDs, "decoder", config.decoderVocabSize) }
    guard targets.count == outputs else {
      throw ModelError("training example: \(targets.count) targets for \(outputs) output positions")
    }
    if let bad = targets.first(where: { $0 < -1 || $0 >= config.outputVocabSize }) {
      throw ModelError(
        "training example: target \(bad) outside the output vocabulary (size \(config.outputVocabSize))")
    }
  }
}

/// Threads `lossAndGradients` uses by default: two, or one on a single-core machine.
public let defaultTrainingThreads = min(2, ProcessInfo.processInfo.activeProcessorCount)

/// The mean cross-entropy over every counted target of the batch (targets −1 are ignored, as
/// `F.cross_entropy(..., ignore_index=-1, reduction="mean")` over the concatenated batch), its
/// gradient for every parameter, and how many targets counted. No counted target: loss 0, zero
/// gradients. Every example must pass `validate(for: config)`.
public func lossAndGradients(
  config: ModelConfig, parameters: ParameterStore, batch: [TrainingExample],
  threads: Int = defaultTrainingThreads
) -> (loss: Float, gradients: Gradients, countedTokens: Int) {
  for example in batch {
    do { try example.validate(for: config) } catch { preconditionFailure(error.description) }
  }
  let counted = batch.reduce(0) { $0 + $1.countedTargets }
  let model = ModelPass(config: config, parameters: parameters)
  let chunks = chunked(batch, into: max(1, min(threads, batch.count)))
  let scale: Float = counted > 0 ? 1 / Float(counted) : 0
  let (lossSum, gradients) = accumulateOverParts(specs: config.parameterSpecs, parts: chunks.count) {
    index, buffer in
    let (logits, cache) = model.forward(chunks[index])
    let targets = chunks[index].flatMap(\.targets)
    let (sum, dLogits) = CrossEntropy.lossAndGradient(logits, targets: targets, scale: scale)
    model.backward(dLogits, cache, buffer)
    return sum
  }
  let loss = counted > 0 ? Float(lossSum / Double(counted)) : 0
  return (loss, gradients, counted)
}

/// Runs `part(index, buffer)` for every part of a batch — on one thread, or split over the cores
/// with each part's products whole — and sums the parts' losses and gradient buffers in a fixed
/// order, so results do not depend on scheduling. `part` returns its summed loss.
func accumulateOverParts(
  specs: [ParameterSpec], parts count: Int, _ part: @escaping @Sendable (Int, GradientBuffer) -> Double
) -> (lossSum: Double, gradients: Gradients) {
  let parts = (0..<count).map { _ in PartialGradients(specs: specs) }
  let run: @Sendable (Int) -> Void = { index in parts[index].lossSum = part(index, parts[index].gradients) }
  if count == 1 {
    run(0)
  } else {
    // The batch is already split over the cores: each part's products run whole on its thread.
    Parallelism.withoutSplitting {
      BLASThreads.singleThreaded { DispatchQueue.concurrentPerform(iterations: count, execute: run) }
    }
  }
  for other in parts.dropFirst() { parts[0].gradients.add(other.gradients) }
  return (parts.reduce(0) { $0 + $1.lossSum }, parts[0].gradients.gradients)
}

/// The same mean cross-entropy without gradients (a validation loss), single-threaded.
public func evaluationLoss(config: ModelConfig, parameters: ParameterStore, batch: [TrainingExample])
  -> (loss: Float, countedTokens: Int)
{
  for example in batch {
    do { try example.validate(for: config) } catch { preconditionFailure(error.description) }
  }
  let counted = batch.reduce(0) { $0 + $1.countedTargets }
  guard counted > 0 else { return (0, 0) }
  let (logits, _) = ModelPass(config: config, parameters: parameters).forward(batch)
  let (sum, _) = CrossEntropy.lossAndGradient(logits, targets: batch.flatMap(\.targets), scale: 0)
  return (Float(sum / Double(counted)), counted)
}

/// One thread's share: its gradient buffer and summed token losses, touched by that thread only
/// until `concurrentPerform` returns.
final class PartialGradients: @unchecked Sendable {
  let gradients: GradientBuffer
  var lossSum = 0.0
  init(specs: [ParameterSpec]) { gradients = GradientBuffer(specs: specs) }
}

/// At most `parts` contiguous parts of nearly equal token counts, none empty.
func chunked(_ batch: [TrainingExample], into parts: Int) -> [[TrainingExample]] {
  guard parts > 1 else { return [batch] }
  let sizes = batch.map { ($0.encoderIDs?.count ?? 0) + ($0.decoderIDs?.count ?? 0) }
  let total = sizes.reduce(0, +)
  var chunks: [[TrainingExample]] = []
  var current: [TrainingExample] = []
  var accumulated = 0
  for (example, size) in zip(batch, sizes) {
    current.append(example)
    accumulated += size
    if chunks.count < parts - 1, accumulated * parts >= total * (chunks.count + 1) {
      chunks.append(current)
      current = []
    }
  }
  if !current.isEmpty { chunks.append(current) }
  return chunks
}
