// What a decoding run produces: the hypotheses best first and a record of every step.
import Foundation
import Trace

/// A finished (or length-capped) output sequence.
public struct Hypothesis: Sendable, Equatable {
  /// Generated tokens, without the start and end tokens.
  public var tokens: [Int]
  /// Log-probability of each generated token, the end token's last when `finished`.
  public var tokenLogProbs: [Float]
  /// Whether it ended with the end token (rather than at the maximum length).
  public var finished: Bool

  public init(tokens: [Int] = [], tokenLogProbs: [Float] = [], finished: Bool = false) {
    self.tokens = tokens
    self.tokenLogProbs = tokenLogProbs
    self.finished = finished
  }

  /// Sum of the token log-probabilities.
  public var logProb: Float { tokenLogProbs.reduce(0, +) }
  /// Tokens scored, the end token included.
  public var length: Int { tokenLogProbs.count }

  /// log-prob / length^α (Wu et al. 2016 use a smoothed variant; this is Hugging Face's
  /// `BeamHypotheses` form). α = 0 ranks by log-prob, α > 0 favours longer outputs.
  public func score(alpha: Float) -> Float {
    LengthPenalty.score(logProb: logProb, length: length, alpha: alpha)
  }
}

public enum LengthPenalty {
  public static func score(logProb: Float, length: Int, alpha: Float) -> Float {
    alpha == 0 ? logProb : logProb / Float(max(length, 1)).power(alpha)
  }
}

extension Float {
  func power(_ exponent: Float) -> Float { Float(exp(Double(exponent) * log(Double(self)))) }
}

/// One possible next token and its probability.
public struct Candidate: Sendable, Equatable {
  public var token: Int
  public var probability: Float
}

/// One live hypothesis at one step: its prefix, the best next tokens, which were kept, and the
/// attention of its newest position.
public struct HypothesisStep: Sendable {
  /// Generated tokens so far (without the start token).
  public var prefix: [Int]
  public var logProb: Float
  public var candidates: [Candidate]
  /// The tokens that continued this hypothesis (several in a beam, the end token included).
  public var chosen: [Int]
  public var attention: [AttentionEntry]
  /// The back-pointer: this hypothesis's index in the previous step's `hypotheses` (nil at step 0).
  public var parent: Int?
}

/// Every live hypothesis at step `index` (the position of the token being chosen).
public struct DecodingStep: Sendable {
  public var index: Int
  public var hypotheses: [HypothesisStep]
}

public struct DecodingResult: Sendable {
  /// Best first by `score`.
  public var hypotheses: [Hypothesis]
  public var scores: [Float]
  public var steps: [DecodingStep]
  /// Where each hypothesis ended: its index in `steps[hypothesis.length - 1].hypotheses` (the step
  /// that chose its last token), the start of the back-pointer chain `path(of:)` follows.
  public var origins: [Int]

  /// The records of hypothesis `index` at every step it lived through, first step first: the step
  /// that ended it, then its parents'. Its own records, not another beam's that shared the step.
  public func path(of index: Int) -> [HypothesisStep] {
    guard hypotheses.indices.contains(index), origins.indices.contains(index) else { return [] }
    var records: [HypothesisStep] = []
    var beam: Int? = origins[index]
    var step = hypotheses[index].length - 1
    while let current = beam, steps.indices.contains(step), steps[step].hypotheses.indices.contains(current) {
      let record = steps[step].hypotheses[current]
      records.append(record)
      beam = record.parent
      step -= 1
    }
    return records.reversed()
  }
}

/// The `count` most probable tokens of a log-prob row, most probable first (lower id on ties).
func topCandidates(_ logProbs: [Float], count: Int) -> [Candidate] {
  // A one-pass selection (TopSelection.swift), the same order a full sort gives: vocabularies are
  // tens of thousands of tokens and this runs for every hypothesis at every step.
  topIndices(logProbs, count).map { Candidate(token: $0, probability: Float(exp(Double(logProbs[$0])))) }
}
