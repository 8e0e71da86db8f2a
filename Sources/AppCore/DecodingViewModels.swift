// What the decode and compare screens show, as plain labelled values the host fills in from a run.

/// The newest position's attention at one step: one query over its keys, every layer and head.
public struct AttentionRow: Equatable, Sendable {
  public var query: String
  public var keys: [String]
  /// `[layer][head][key]`.
  public var weights: [[[Float]]]

  public init(query: String, keys: [String], weights: [[[Float]]]) {
    self.query = query
    self.keys = keys
    self.weights = weights
  }

  public var layers: Int { weights.count }
  public func heads(layer: Int) -> Int { weights.indices.contains(layer) ? weights[layer].count : 0 }
}

/// A possible next token and its probability.
public struct TokenProbability: Equatable, Sendable {
  public var token: String
  public var probability: Float

  public init(token: String, probability: Float) {
    self.token = token
    self.probability = probability
  }
}

/// One greedy step: the token fed, the top candidates, the one chosen, the attention behind it.
public struct DecodeStepView: Equatable, Sendable {
  public var candidates: [TokenProbability]
  public var chosen: String
  public var selfAttention: AttentionRow?
  public var crossAttention: AttentionRow?
  /// A sampled step: the distribution the draw was made from (after temperature, top-k, top-p).
  public var filtered: FilteredDistribution?

  public init(
    candidates: [TokenProbability], chosen: String, selfAttention: AttentionRow?,
    crossAttention: AttentionRow?, filtered: FilteredDistribution? = nil
  ) {
    self.filtered = filtered
    self.candidates = candidates
    self.chosen = chosen
    self.selfAttention = selfAttention
    self.crossAttention = crossAttention
  }
}

/// A greedy decode stepped through on screen 2.
public struct DecodeRun: Equatable, Sendable {
  /// The encoder input (or a decoder-only model's prompt).
  public var source: [String]
  /// The token fed first (`<s>`, or the prompt's last token).
  public var start: String
  public var steps: [DecodeStepView]
  /// With heads switched off: the same decode by the model as trained (what changed, screen 2).
  public var before: [DecodeStepView]?

  public init(source: [String], start: String, steps: [DecodeStepView], before: [DecodeStepView]? = nil) {
    self.source = source
    self.start = start
    self.steps = steps
    self.before = before
  }
}

/// One output sequence with its per-token log-probs (the end token's included when finished).
public struct HypothesisView: Equatable, Sendable {
  public var tokens: [String]
  public var logProbs: [Float]
  /// log-prob / length^α.
  public var score: Float

  public init(tokens: [String], logProbs: [Float], score: Float) {
    self.tokens = tokens
    self.logProbs = logProbs
    self.score = score
  }

  public var logProb: Float { logProbs.reduce(0, +) }
}

/// Greedy and beam search on the same input, for screen 3.
public struct CompareRun: Equatable, Sendable {
  public var greedy: HypothesisView
  /// Best first.
  public var beam: [HypothesisView]
  public var width: Int
  public var alpha: Float
  /// Every hypothesis the beam held, as a tree rooted at the start token (screen 4).
  public var tree: [BeamNode]
  /// Greedy's step records, one per token of `greedy` (candidates, chosen token, attention).
  public var greedySteps: [DecodeStepView]
  /// The best beam hypothesis's own records, one per token of `beam[0]`, found by following its
  /// back-pointers (at each step, the live hypothesis it grew from, not whichever beam ranked first).
  public var beamSteps: [DecodeStepView]
  /// With heads switched off: greedy and the best beam of the model as trained (screen 3).
  public var before: CompareBefore?

  public init(
    greedy: HypothesisView, beam: [HypothesisView], width: Int, alpha: Float, tree: [BeamNode] = [],
    greedySteps: [DecodeStepView] = [], beamSteps: [DecodeStepView] = []
  ) {
    self.greedy = greedy
    self.beam = beam
    self.width = width
    self.alpha = alpha
    self.tree = tree
    self.greedySteps = greedySteps
    self.beamSteps = beamSteps
  }

  /// Steps a pick can land on: the longer of greedy and the best beam hypothesis.
  public var stepCount: Int { max(greedy.tokens.count, beam.first?.tokens.count ?? 0) }

  /// The first position where greedy and the best beam differ, nil when they agree.
  public var divergence: Int? {
    guard let best = beam.first else { return nil }
    let (a, b) = (greedy.tokens, best.tokens)
    if let index = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) { return index }
    return a.count == b.count ? nil : min(a.count, b.count)
  }
}

/// One node of the beam tree: the token a hypothesis was extended with (the root: the start token).
public struct BeamNode: Equatable, Sendable {
  public var token: String
  /// The hypothesis's summed log-prob up to and including this token.
  public var logProb: Float
  /// The parent's index in `CompareRun.tree` (parents come first); nil for the root.
  public var parent: Int?
  /// An end token: the hypothesis finished here.
  public var finished: Bool
  /// This position's cross-attention when it was fed; nil when it never was (end, last step).
  public var crossAttention: AttentionRow?
  /// A candidate the beam scored but never kept (one of the best just below the cut at its step).
  public var neverKept: Bool
  /// The beam's score of the hypothesis ending here (log-prob / length^α, computed by the decoder).
  public var score: Float

  /// `score` defaults to `logProb` (α = 0).
  public init(
    token: String, logProb: Float, parent: Int?, finished: Bool = false, crossAttention: AttentionRow? = nil,
    neverKept: Bool = false, score: Float? = nil
  ) {
    self.token = token
    self.logProb = logProb
    self.score = score ?? logProb
    self.parent = parent
    self.finished = finished
    self.crossAttention = crossAttention
    self.neverKept = neverKept
  }
}
