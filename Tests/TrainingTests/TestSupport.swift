// Shared test helpers: the PyTorch fixtures, tiny configs, readable comparisons and central
// finite differences.
import Foundation
import Safetensors
import TestSupport
import Testing

@testable import Tensors
@testable import Training
@testable import Transformer

enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")
  /// The inference parity models (config.json, model.safetensors) the gradient fixtures use.
  static let parity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("TransformerTests/Fixtures/parity")
  static let models = ["encdec_post", "decoder_pre_gqa", "encoder_only", "encdec_pre_gqa"]

  static func file(_ relativePath: String) throws -> SafetensorsFile {
    try SafetensorsFile.load(path: directory.appendingPathComponent(relativePath).path)
  }

  static func tensor(_ file: SafetensorsFile, _ name: String) throws -> Tensor {
    Tensor(shape: try file.info(name).shape, scalars: try file.floats(name))
  }

  /// A parity model's config and parameters.
  static func model(_ name: String) throws -> (ModelConfig, ParameterStore) {
    let folder = parity.appendingPathComponent(name)
    let config = try JSONDecoder().decode(
      ModelConfig.self, from: Data(contentsOf: folder.appendingPathComponent("config.json")))
    let weights = try SafetensorsFile.load(path: folder.appendingPathComponent("model.safetensors").path)
    return (config, try ParameterStore(file: weights, config: config))
  }

  /// The batch stored in a gradients fixture: example0, example1, ….
  static func batch(_ file: SafetensorsFile) throws -> [TrainingExample] {
    var batch: [TrainingExample] = []
    while file.contains("example\(batch.count).targets") {
      let prefix = "example\(batch.count)"
      batch.append(
        TrainingExample(
          encoderIDs: file.contains("\(prefix).encoder_ids")
            ? try file.integers("\(prefix).encoder_ids") : nil,
          decoderIDs: file.contains("\(prefix).decoder_ids")
            ? try file.integers("\(prefix).decoder_ids") : nil,
          targets: try file.integers("\(prefix).targets")))
    }
    return batch
  }
}

extension ModelConfig {
  /// A tiny valid config for gradient checks; `extra` is spliced into the JSON (and may set
  /// num_heads, default 2).
  static func tiny(_ architecture: String, _ extra: String) throws -> ModelConfig {
    let heads = extra.contains("num_heads") ? "" : #""num_heads": 2, "#
    let json = """
      {"architecture": "\(architecture)", "d_model": 8, \(heads)"ffn_dim": 12,
       "encoder_layers": 2, "decoder_layers": 2, "vocab_size": 9, "source_vocab_size": 10,
       "target_vocab_size": 9, "max_positions": 8, \(extra)}
      """
    let config = try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
    try config.validate()
    return config
  }
}

/// Random examples for `config`: lengths 2…5, some targets ignored.
func randomBatch(_ config: ModelConfig, count: Int, seed: UInt64) -> [TrainingExample] {
  var generator = SeededGenerator(seed: seed)
  func ids(_ n: Int, _ vocabulary: Int) -> [Int] {
    (0..<n).map { _ in Int(generator.next() % UInt64(vocabulary)) }
  }
  return (0..<count).map { _ in
    let (sourceLength, targetLength) = (2 + Int(generator.next() % 4), 2 + Int(generator.next() % 4))
    let encoder = config.architecture.hasEncoder ? ids(sourceLength, config.encoderVocabSize) : nil
    let decoder = config.architecture.hasDecoder ? ids(targetLength, config.decoderVocabSize) : nil
    var targets = ids((decoder ?? encoder!).count, config.outputVocabSize)
    if generator.next() % 2 == 0 { targets[0] = -1 }
    return TrainingExample(encoderIDs: encoder, decoderIDs: decoder, targets: targets)
  }
}

/// The Double sum of w ⊙ y: a scalar loss with a known upstream gradient w.
func weightedSum(_ y: [Float], _ w: [Float]) -> Double {
  zip(y, w).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

func randomValues(_ count: Int, _ generator: inout SeededGenerator, scale: Float = 1) -> [Float] {
  (0..<count).map { _ in generator.nextNormal() * scale }
}

/// Central difference of `loss` with respect to element `index` of `values`; the step actually
/// taken is measured in Float so rounding of θ ± h does not bias the quotient.
func centralDifference(_ values: [Float], _ index: Int, step: Float, _ loss: ([Float]) -> Double) -> Double {
  var plus = values
  var minus = values
  plus[index] += step
  minus[index] -= step
  return (loss(plus) - loss(minus)) / (Double(plus[index]) - Double(minus[index]))
}

/// |numeric − analytic| ≤ absolute + relative·|numeric|, else an issue naming the element.
func expectGradient(
  _ analytic: Float, _ numeric: Double, absolute: Double, relative: Double, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let error = abs(Double(analytic) - numeric)
  if !(error <= absolute + relative * abs(numeric)) {
    Issue.record(
      "\(what): analytic \(analytic), finite difference \(numeric), diff \(error)",
      sourceLocation: sourceLocation)
  }
}
