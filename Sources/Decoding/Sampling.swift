// Ancestral sampling through a chain of logits processors, reproducible from a seed.
import Foundation

/// SplitMix64 (Steele et al. 2014): the same stream on every platform for a given seed.
public struct DecodingRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in [0, 1).
  mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

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
  /// comparable with greedy and beam outputs.
  public static func decode<Model: StepModel>(
    _ model: Model, processors: [any LogitsProcessor], seed: UInt64, alpha: Float = 0,
    options: DecodingOptions
  ) throws -> DecodingResult {
    try GreedySearch.validate(options)
    var random = DecodingRandom(seed: seed)
    return try GreedySearch.decodeOnePath(model, options: options, alpha: alpha) { logProbs in
      var logits = logProbs
      for processor in processors { processor.process(&logits) }
      return sample(softmax(logits), &random)
    }
  }

  /// Inverse-CDF draw; falls back to the last token with non-zero probability on rounding.
  static func sample(_ probabilities: [Float], _ random: inout DecodingRandom) -> Int {
    let target = random.nextUnit()
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
