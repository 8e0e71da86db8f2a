import Foundation
// Greedy decoding: the single most probable token at every step.
import Tensors

public enum GreedySearch {
  /// Decodes with the argmax at each step (the lower id on ties) until the end token or
  /// `maxLength` tokens.
  public static func decode<Model: StepModel>(
    _ model: Model, options: DecodingOptions, alpha: Float = 0
  ) throws -> DecodingResult {
    try validate(options, alpha: alpha)
    return try decodeOnePath(model, options: options, alpha: alpha) { logProbs in argmax(logProbs) }
  }

  /// The single-hypothesis loop greedy decoding and sampling share: `choose` picks the next token
  /// from the model's log-probs; every step is recorded with its top candidates and attention.
  static func decodeOnePath<Model: StepModel>(
    _ model: Model, options: DecodingOptions, alpha: Float, choose: ([Float]) -> Int
  ) throws -> DecodingResult {
    var state = try model.start()
    var hypothesis = Hypothesis()
    var steps: [DecodingStep] = []
    var token = options.startToken
    while hypothesis.length < options.maxLength {
      let output = try model.checkedStep(&state, token: token, step: hypothesis.length + 1)
      let chosen = choose(output.logProbs)
      steps.append(
        DecodingStep(
          index: hypothesis.length,
          hypotheses: [
            HypothesisStep(
              prefix: hypothesis.tokens, logProb: hypothesis.logProb,
              candidates: topCandidates(output.logProbs, count: options.recordedCandidates),
              chosen: [chosen], attention: output.attention, parent: steps.isEmpty ? nil : 0)
          ]))
      hypothesis.tokenLogProbs.append(output.logProbs[chosen])
      if chosen == options.endToken {
        hypothesis.finished = true
        break
      }
      hypothesis.tokens.append(chosen)
      token = chosen
    }
    return DecodingResult(
      hypotheses: [hypothesis], scores: [hypothesis.score(alpha: alpha)], steps: steps, origins: [0])
  }

  static func argmax(_ values: [Float]) -> Int {
    var best = 0
    for index in values.indices where values[index] > values[best] { best = index }
    return best
  }

  /// The settings every strategy checks first, with the domains the flags use (Domain.swift).
  static func validate(_ options: DecodingOptions, alpha: Float) throws {
    guard options.maxLength > 0 else {
      throw DecodingError("max length must be at least 1, got \(options.maxLength)")
    }
    do { try DecodingDomains.lengthPenalty.check(alpha, "the length penalty α") } catch {
      throw DecodingError(error.description)
    }
  }
}
