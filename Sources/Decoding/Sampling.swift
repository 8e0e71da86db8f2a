// Ancestral sampling through a chain of logits processors, reproducible from a seed.
import Foundation
import Tensors

/// The sampling stream: SplitMix64 from Tensors, so a seed gives the same tokens on every platform.
public typealias DecodingRandom = SeededGenerator

public enum Sampling {
  /// The usual processor chain: temperature, then top-k, then top-p (Hugging Face's order).
  public static func processors(temperature: Float = 1, topK: Int = 0, topP: Float = 1)
    -> [any LogitsProcessor]
  {
    var chain: [any LogitsProcessor] = []
    if temperature != 1 { chain.append(Temperature(temperature)) }
    if topK > 0 { chain.append(TopK(topK)) }
    if topP < 1 { chain.append(TopP(topP)) }
    return chain
  }

  /// Samples one token per step from the processed distribution until the end token or
  /// `maxLength`. The hypothesis keeps the model's own (unprocessed) log-probs, so its score is
  /// comparable with greedy and beam outputs. `observe` sees each step's processed distribution
  /// (what the draw is made from; the decode screen shows it beside the model's own).
  public static func decode<Model: StepModel>(
    _ model: Model, processors: [any LogitsProcessor], seed: UInt64, alpha: Float = 0,
    options: DecodingOptions, observe: ([Float]) -> Void = { _ in }
  ) throws -> DecodingResult {
    try GreedySearch.validate(options, alpha: alpha)
    var random = DecodingRandom(seed: seed)
    return try GreedySearch.decodeOnePath(model, options: options, alpha: alpha) { logProbs in
      var logits = logProbs
      for processor in processors { processor.process(&logits) }
      let probabilities = Probabilities.softmax(logits)
      observe(probabilities)
      return sample(probabilities, &random)
    }
  }

  /// Inverse-CDF draw; falls back to the last token with non-zero probability on rounding.
  static func sample(_ probabilities: [Float], _ random: inout DecodingRandom) -> Int {
    let target = random.nextUnitDouble()
    var total = 0.0
    var last = 0
    for (index, probability) in probabilities.enumerated() where probability > 0 {
      total += Double(probability)
      last = index
      if target < total { return index }
    }
    return last
  }
}
