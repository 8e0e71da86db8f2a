// Numbers outside their domain (RELIABILITY.md, class 6): the one `Domain` check the flags and
// generation_config.json use, and the decoding entry points refusing what used to give NaN scores.
import Tensors
import Testing

@testable import Decoding

@Suite struct DomainTests {
  @Test func domainsRefuseNaNInfinityAndTheOutside() {
    let alpha = DecodingDomains.lengthPenalty
    for bad: Float in [.nan, .infinity, -.infinity, -20, -5.5, 5.01] {
      #expect(!alpha.contains(bad), "\(bad)")
    }
    for good: Float in [-5, -1, 0, 0.6, 1, 5] { #expect(alpha.contains(good)) }
    #expect(throws: DomainError("--alpha must be a number from -5 to 5, got nan")) {
      try alpha.check(Float.nan, "--alpha")
    }
    #expect(!DecodingDomains.temperature.contains(0) && !DecodingDomains.temperature.contains(.infinity))
    #expect(DecodingDomains.temperature.contains(1e-39))
    #expect(!DecodingDomains.topK.contains(-1) && DecodingDomains.topK.contains(0))
    #expect(throws: DomainError("--top-k must be 0 (every token) or a positive count, got -1")) {
      try DecodingDomains.topK.check(-1, "--top-k")
    }
    #expect(
      !DecodingDomains.topP.contains(0) && DecodingDomains.topP.contains(1)
        && !DecodingDomains.topP.contains(1.5))
    #expect(!DecodingDomains.maxLength.contains(Int.max) && !DecodingDomains.maxLength.contains(0))
    #expect(
      throws: DomainError("generation_config.json: max_length must be an integer of at least 1, got -5")
    ) {
      try Domain<Int>.integers(atLeast: 1).check(-5, "generation_config.json: max_length")
    }
    // An unbounded Float domain still refuses NaN.
    #expect(!Domain<Float>(lower: nil, upper: nil, wording: "a number").contains(.nan))
  }

  /// A tiny temperature is the argmax, not id 0 (every log-prob / 1e-39 used to be −∞).
  @Test func tinyTemperatureSamplesTheArgmax() throws {
    var logits: [Float] = [-3, -0.1, -2, -5]
    Temperature(1e-39).process(&logits)
    #expect(logits[1] == 0 && logits.enumerated().allSatisfy { $0.offset == 1 || $0.element == -.infinity })
    var random = DecodingRandom(seed: 4)
    #expect(Sampling.sample(Probabilities.softmax(logits), &random) == 1)
  }

  @Test func lengthPenaltyOutsideItsDomainIsRefusedByEveryStrategy() {
    let model = TableModel.random(vocabulary: 6, seed: 2)
    let options = DecodingOptions(startToken: 0, endToken: 1, maxLength: 4)
    for alpha: Float in [.nan, .infinity, -20] {
      #expect(throws: DecodingError.self) {
        try BeamSearch.decode(model, width: 2, alpha: alpha, options: options)
      }
      #expect(throws: DecodingError.self) {
        try BeamSearch.decode(model, width: 2, alpha: alpha, stopping: .heuristic, options: options)
      }
      #expect(throws: DecodingError.self) { try GreedySearch.decode(model, options: options, alpha: alpha) }
    }
  }

  /// NaN log-probs stop every strategy with the step named, never "nan" or an empty beam.
  @Test func nonFiniteScoresNameTheStep() {
    let options = DecodingOptions(startToken: 0, endToken: 1, maxLength: 6)
    for poison: Float in [.nan, .infinity] {
      let model = PoisonedModel(vocabularySize: 6, poisonedStep: 3, value: poison)
      let expected = "the model produced non-finite scores at step 3"
      for body in [
        { try GreedySearch.decode(model, options: options) },
        { try BeamSearch.decode(model, width: 2, options: options) },
        { try BeamSearch.decode(model, width: 2, alpha: 1, stopping: .heuristic, options: options) },
        { try Sampling.decode(model, processors: [], seed: 1, options: options) },
      ] as [() throws -> DecodingResult] {
        do {
          _ = try body()
          Issue.record("decoded despite \(poison)")
        } catch {
          #expect("\(error)".hasPrefix(expected), "\(error)")
        }
      }
    }
    // Every token impossible (−∞ everywhere): also named, not an empty result.
    let empty = PoisonedModel(vocabularySize: 6, poisonedStep: 1, value: -.infinity, everywhere: true)
    #expect(throws: DecodingError.self) { try BeamSearch.decode(empty, width: 2, options: options) }
  }
}

/// Uniform-ish finite log-probs, except at `poisonedStep` (1-based), where one entry (or all) is `value`.
struct PoisonedModel: StepModel {
  let vocabularySize: Int
  let poisonedStep: Int
  let value: Float
  var everywhere = false
  func start() throws -> Int { 0 }
  func step(_ state: inout Int, token: Int) throws -> StepOutput {
    state += 1
    // Token 1 (the end) is never the best, so every strategy reaches the poisoned step.
    var logProbs = (0..<vocabularySize).map { $0 == 1 ? Float(-20) : Float(-1) - Float($0) * 0.01 }
    if state == poisonedStep {
      if everywhere { logProbs = logProbs.map { _ in value } } else { logProbs[2] = value }
    }
    return StepOutput(logProbs: logProbs)
  }
}
