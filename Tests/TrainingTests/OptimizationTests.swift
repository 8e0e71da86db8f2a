// The optimizer pieces on their own (schedule, weight-decay scope, batching across threads), and
// a tiny model that must actually learn: reversing four fixed sequences.
import Foundation
import TestSupport
import Testing

@testable import Tensors
@testable import Training
@testable import Transformer

@Suite struct OptimizationTests {
  @Test func scheduleWarmsUpThenDecays() {
    let schedule = LearningRateSchedule(warmupSteps: 10, totalSteps: 110, peak: 1e-3, final: 1e-5)
    #expect(abs(schedule.rate(at: 0) - 1e-4) < 1e-9)
    #expect(abs(schedule.rate(at: 9) - 1e-3) < 1e-9)
    #expect(abs(schedule.rate(at: 10) - 1e-3) < 1e-9)
    #expect(abs(schedule.rate(at: 60) - (1e-5 + 0.5 * (1e-3 - 1e-5))) < 1e-8, "half-way down the cosine")
    #expect(abs(schedule.rate(at: 110) - 1e-5) < 1e-9 && abs(schedule.rate(at: 500) - 1e-5) < 1e-9)
    let rates = (10...110).map(schedule.rate(at:))
    #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 }, "non-increasing after warm-up")
  }

  @Test func weightDecayScope() {
    var parameters = ParameterStore(tensors: [
      "a.weight": Tensor(shape: [1, 2], scalars: [1, 1]), "a.bias": Tensor(shape: [1], scalars: [1]),
      "x.ffn_norm.weight": Tensor(shape: [1], scalars: [1]),
      "decoder.embed_tokens.weight": Tensor(shape: [1, 1], scalars: [1]),
    ])
    let zero = Gradients(tensors: parameters.tensors.mapValues { Tensor(zeros: $0.shape) })
    var optimizer = AdamW(learningRate: 0.1, weightDecay: 0.5, decayScope: .matricesOnly)
    optimizer.step(&parameters, zero)
    #expect(parameters["a.weight"].scalars == [0.95, 0.95])
    #expect(parameters["a.bias"].scalars == [1] && parameters["x.ffn_norm.weight"].scalars == [1])
    #expect(parameters["decoder.embed_tokens.weight"].scalars == [1])
  }

  /// Splitting a batch over threads only changes the summation order.
  @Test func threadsAgree() throws {
    let config = try ModelConfig.tiny(
      "encoder-decoder",
      #""num_heads": 4, "num_kv_heads": 2, "positional": "learned", "norm": "pre", "activation": "gelu""#)
    let parameters = ParameterStore(randomFor: config, seed: 5)
    let batch = randomBatch(config, count: 7, seed: 6)
    let one = lossAndGradients(config: config, parameters: parameters, batch: batch, threads: 1)
    for threads in [2, 3] {
      let many = lossAndGradients(config: config, parameters: parameters, batch: batch, threads: threads)
      #expect(abs(one.loss - many.loss) < 1e-6 && one.countedTokens == many.countedTokens)
      for name in one.gradients.tensors.keys.sorted() {
        expectClose(
          many.gradients[name].scalars, one.gradients[name].scalars, tolerance: 1e-6,
          "\(name), \(threads) threads")
      }
    }
    let evaluation = evaluationLoss(config: config, parameters: parameters, batch: batch)
    #expect(abs(evaluation.loss - one.loss) < 1e-6 && evaluation.countedTokens == one.countedTokens)
    #expect(chunked(batch, into: 3).flatMap { $0 } == batch)
  }

  @Test func ignoredTargetsGiveZeroLoss() throws {
    let config = try ModelConfig.tiny(
      "decoder-only", #""positional": "learned", "norm": "pre", "activation": "gelu""#)
    let batch = [TrainingExample(decoderIDs: [1, 5, 6], targets: [-1, -1, -1])]
    let result = lossAndGradients(
      config: config, parameters: ParameterStore(randomFor: config, seed: 1), batch: batch)
    #expect(result.loss == 0 && result.countedTokens == 0 && result.gradients.norm == 0)
    let empty = lossAndGradients(
      config: config, parameters: ParameterStore(randomFor: config, seed: 1), batch: [])
    #expect(empty.loss == 0 && empty.countedTokens == 0 && empty.gradients.norm == 0)
  }

  @Test func validationNamesTheProblem() throws {
    let config = try ModelConfig.tiny(
      "encoder-decoder", #""positional": "sinusoidal", "norm": "post", "activation": "relu""#)
    #expect(throws: ModelError("training example: 2 targets for 3 output positions")) {
      try TrainingExample(encoderIDs: [4], decoderIDs: [1, 4, 5], targets: [4, 5]).validate(for: config)
    }
    #expect(
      throws: ModelError("training example: decoder input token id 9 is outside the vocabulary (size 9)")
    ) {
      try TrainingExample(encoderIDs: [4], decoderIDs: [1, 9], targets: [4, 5]).validate(for: config)
    }
    let forced = TrainingExample.teacherForced(source: [7, 8], target: [4, 5])
    #expect(forced.decoderIDs == [1, 4, 5] && forced.targets == [4, 5, 2])
    try forced.validate(for: config)
  }

  /// A 1+1-layer encoder-decoder learns to reverse four fixed sequences: AdamW with warm-up and
  /// cosine decay, gradient clipping, full batch.
  @Test func tinyModelLearnsToReverse() throws {
    let json = """
      {"architecture": "encoder-decoder", "d_model": 16, "num_heads": 2, "ffn_dim": 32, "encoder_layers": 1,
       "decoder_layers": 1, "source_vocab_size": 10, "target_vocab_size": 10, "max_positions": 8,
       "positional": "learned", "norm": "pre", "activation": "gelu"}
      """
    let config = try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
    let sources = [[4, 5, 6, 7], [8, 9, 4, 5], [6, 4, 9, 8], [7, 7, 5, 9]]
    let batch = sources.map { TrainingExample.teacherForced(source: $0, target: $0.reversed()) }
    var parameters = ParameterStore(randomFor: config, seed: 1)
    var optimizer = AdamW(learningRate: 1e-2, beta1: 0.9, beta2: 0.98, epsilon: 1e-9)
    let schedule = LearningRateSchedule(warmupSteps: 20, totalSteps: 150, peak: 1e-2, final: 1e-3)
    let initial = evaluationLoss(config: config, parameters: parameters, batch: batch).loss
    for step in 0..<150 {
      var (_, gradients, _) = lossAndGradients(
        config: config, parameters: parameters, batch: batch, threads: 1)
      clipGradients(&gradients, maxNorm: 1)
      optimizer.step(&parameters, gradients, learningRate: schedule.rate(at: step))
    }
    let final = evaluationLoss(config: config, parameters: parameters, batch: batch).loss
    #expect(initial > 2 && final < 0.05, "loss \(initial) → \(final)")
    // Greedy decoding with the inference engine reproduces every reversal.
    let model = TransformerModel(config: config, parameters: parameters)
    for source in sources {
      var output = [1]
      for _ in 0..<5 {
        let logits = try model.forward(encoderIDs: source, decoderIDs: output).logits
        let last = logits.row(logits.rows - 1)
        output.append(last.indices.max { last[$0] < last[$1] }! - last.startIndex)
      }
      #expect(Array(output.dropFirst()) == source.reversed() + [2], "reverse of \(source)")
    }
  }
}
