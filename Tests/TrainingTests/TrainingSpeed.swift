// Training throughput, printed (never asserted): run on demand with
//   ATTNSCOPE_TRAIN_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter TrainingSpeed
import Foundation
import Testing

@testable import Tensors
@testable import Training
@testable import Transformer

@Suite(
  .serialized,
  .enabled(
    if: ProcessInfo.processInfo.environment["ATTNSCOPE_TRAIN_BENCH"] != nil,
    "a measurement, not a test: set ATTNSCOPE_TRAIN_BENCH=1 to print steps per second"))
struct TrainingSpeed {
  /// Encoder-decoders learning to reverse: full steps (loss, gradients, clipping, AdamW) per
  /// second, one and two threads. d_model 64, 2+2 layers, batch 32 of 8…12 tokens (the reference
  /// row), and the largest size the trainer aims at: d_model 128, 3+3 layers, batch 64 of 16…20.
  @Test(arguments: [(64, 2, 32, 8), (128, 3, 64, 16)])
  func encoderDecoderSteps(width: Int, layers: Int, batchSize: Int, minimumLength: Int) throws {
    let json = """
      {"architecture": "encoder-decoder", "d_model": \(width), "num_heads": 4, "ffn_dim": \(4 * width),
       "encoder_layers": \(layers), "decoder_layers": \(layers), "source_vocab_size": 40, "target_vocab_size": 40,
       "max_positions": 32, "positional": "sinusoidal", "norm": "pre", "activation": "gelu", "scale_embeddings": true}
      """
    let config = try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
    var generator = SeededGenerator(seed: 1)
    let batch = (0..<batchSize).map { _ in
      let n = minimumLength + Int(generator.next() % 5)
      let source = (0..<n).map { _ in 4 + Int(generator.next() % 36) }
      return TrainingExample.teacherForced(source: source, target: source.reversed())
    }
    for threads in [1, 2] {
      var parameters = ParameterStore(randomFor: config, seed: 2)
      var optimizer = AdamW(learningRate: 1e-3)
      let clock = ContinuousClock()
      var steps = 0
      var loss: Float = 0
      let start = clock.now
      while clock.now - start < .seconds(3) {
        var result = lossAndGradients(config: config, parameters: parameters, batch: batch, threads: threads)
        clipGradients(&result.gradients, maxNorm: 1)
        optimizer.step(&parameters, result.gradients)
        loss = result.loss
        steps += 1
      }
      let seconds =
        Double((clock.now - start).components.attoseconds) / 1e18
        + Double((clock.now - start).components.seconds)
      print(
        String(
          format:
            "TrainingSpeed: d_model %d, %d+%d layers, batch %d: %d thread(s): %.1f steps/s (%d steps, loss %.3f)",
          width, layers, layers, batchSize, threads, Double(steps) / seconds, steps, loss))
    }
  }
}
