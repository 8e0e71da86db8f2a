// The one thing decoding needs from a model: a step function over a copyable state, so strategies
// stay independent of the engine (as swift-transformers' Generation talks to a next-token closure).
import Trace

/// What one step returns: the log-probabilities of the next token and the attention of the position
/// that was just fed (its masked self-attention and cross-attention, every layer and head).
public struct StepOutput: Sendable {
  public var logProbs: [Float]
  public var attention: [AttentionEntry]

  public init(logProbs: [Float], attention: [AttentionEntry] = []) {
    self.logProbs = logProbs
    self.attention = attention
  }
}

/// A model seen as a step function. `State` must have value semantics: beam search copies it to
/// branch a hypothesis, and a copy must not see the other's later steps.
public protocol StepModel {
  associatedtype State
  /// Size of the distribution `step` returns.
  var vocabularySize: Int { get }
  /// The state before any token (for an encoder-decoder model: the encoded source, empty prefix).
  func start() throws -> State
  /// Feeds `token` after the state's prefix and returns the distribution of the token after it.
  func step(_ state: inout State, token: Int) throws -> StepOutput
  /// `step` for several hypotheses at once, `tokens[i]` after `states[i]`: beam search's live
  /// hypotheses advance together, so a model can run them as one batch (one GEMM per projection).
  /// Must give what `step` gives state by state; the default does exactly that.
  func stepBatch(_ states: inout [State], tokens: [Int]) throws -> [StepOutput]
}

extension StepModel {
  public func stepBatch(_ states: inout [State], tokens: [Int]) throws -> [StepOutput] {
    precondition(states.count == tokens.count, "\(states.count) states for \(tokens.count) tokens")
    return try states.indices.map { try step(&states[$0], token: tokens[$0]) }
  }
}

extension StepModel {
  /// `step`, refusing a distribution decoding cannot rank (see `checkFinite`). Every strategy
  /// (greedy, sampling, both beam searches) steps through here and `checkedStepBatch`.
  func checkedStep(_ state: inout State, token: Int, step: Int) throws -> StepOutput {
    let output = try self.step(&state, token: token)
    try output.checkFinite(step: step)
    return output
  }

  func checkedStepBatch(_ states: inout [State], tokens: [Int], step: Int) throws -> [StepOutput] {
    let outputs = try stepBatch(&states, tokens: tokens)
    for output in outputs { try output.checkFinite(step: step) }
    return outputs
  }
}

extension StepOutput {
  /// A NaN or +∞ log-prob (weights or activations that overflowed), or −∞ everywhere (no token
  /// possible), would otherwise rank arbitrarily: greedy printed "nan", beam search finished
  /// nothing and exited 0. `step` is the 1-based position of the token being chosen.
  func checkFinite(step: Int) throws {
    var anyPossible = false
    for value in logProbs {
      if value.isNaN || value == .infinity {
        throw DecodingError(
          "the model produced non-finite scores at step \(step) (\(value.isNaN ? "NaN" : "+∞") log-probabilities:"
            + " its activations overflowed)")
      }
      if value > -.infinity { anyPossible = true }
    }
    guard anyPossible || logProbs.isEmpty else {
      throw DecodingError(
        "the model produced non-finite scores at step \(step) (every token has probability 0)")
    }
  }
}

/// The settings every strategy shares.
public struct DecodingOptions: Sendable {
  /// Fed first; not part of the output.
  public var startToken: Int
  /// Ends a hypothesis; counted in its length and log-prob, not shown in its tokens.
  public var endToken: Int
  /// Most tokens generated per hypothesis, the end token included.
  public var maxLength: Int
  /// How many candidates each step record keeps.
  public var recordedCandidates: Int

  public init(startToken: Int, endToken: Int, maxLength: Int, recordedCandidates: Int = 5) {
    self.startToken = startToken
    self.endToken = endToken
    self.maxLength = maxLength
    self.recordedCandidates = recordedCandidates
  }
}

/// A problem with the decoding settings, one line.
public struct DecodingError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
