// One attention computation as data: which stack/layer/kind, the token labels, and every head's numbers.

public enum AttentionStack: String, Codable, Sendable, CaseIterable {
  case encoder, decoder
}

public enum AttentionKind: String, Codable, Sendable, CaseIterable {
  /// Encoder self-attention: every token sees every token.
  case `self`
  /// Decoder (causal) self-attention: a token cannot see the future.
  case masked
  /// Decoder queries over encoder keys and values.
  case cross
}

/// Probabilities and scaled scores of one attention sublayer, `[heads][queries][keys]`, stored flat.
public struct AttentionEntry: Sendable, Equatable {
  public var stack: AttentionStack
  public var kind: AttentionKind
  public var layer: Int
  public var heads: Int
  public var queries: [String]
  public var keys: [String]
  /// Post-softmax weights, flat `[heads, queries, keys]`; each visible row sums to 1.
  public var weights: [Float]
  /// QKᵀ/√d_k before softmax, flat like `weights`; masked entries are −∞.
  public var scores: [Float]
  /// Each head's q, k, v and output, when the recorder was asked for them (nil otherwise).
  public var vectors: HeadVectors?
  /// Key/value heads when fewer than `heads` (grouped-query attention: consecutive query heads share
  /// one); nil when every query head has its own.
  public var keyValueHeads: Int?

  public init(
    stack: AttentionStack, kind: AttentionKind, layer: Int, heads: Int, queries: [String],
    keys: [String], weights: [Float], scores: [Float], vectors: HeadVectors? = nil
  ) {
    precondition(weights.count == heads * queries.count * keys.count, "weights shape")
    precondition(scores.count == weights.count, "scores shape")
    precondition(
      vectors?.matches(heads: heads, queryCount: queries.count, keyCount: keys.count) ?? true,
      "vectors shape")
    self.vectors = vectors
    self.stack = stack
    self.kind = kind
    self.layer = layer
    self.heads = heads
    self.queries = queries
    self.keys = keys
    self.weights = weights
    self.scores = scores
  }

  /// The key/value head query head `head` reads (h / (H / H_kv), as the engine groups them).
  public func keyValueHead(of head: Int) -> Int {
    guard let keyValueHeads, keyValueHeads > 0, heads % keyValueHeads == 0 else { return head }
    return head / (heads / keyValueHeads)
  }

  /// The query heads that share `head`'s keys and values (itself alone without grouping).
  public func headsSharingKeys(with head: Int) -> Range<Int> {
    guard let keyValueHeads, keyValueHeads > 0, heads % keyValueHeads == 0 else { return head..<(head + 1) }
    let group = heads / keyValueHeads
    return (head / group * group)..<(head / group * group + group)
  }

  func index(head: Int, query: Int, key: Int) -> Int {
    (head * queries.count + query) * keys.count + key
  }

  public func weight(head: Int, query: Int, key: Int) -> Float {
    weights[index(head: head, query: query, key: key)]
  }

  public func score(head: Int, query: Int, key: Int) -> Float {
    scores[index(head: head, query: query, key: key)]
  }

  /// A masked entry can never be attended to, as opposed to one that merely received ~0 weight.
  public func isMasked(head: Int, query: Int, key: Int) -> Bool {
    score(head: head, query: query, key: key) == -.infinity
  }

  /// One head's weights as rows of queries.
  public func weightMatrix(head: Int) -> [[Float]] {
    (0..<queries.count).map { q in
      let start = index(head: head, query: q, key: 0)
      return Array(weights[start..<(start + keys.count)])
    }
  }

  /// The mean over heads, the usual summary when no single head is chosen.
  public func meanOverHeads() -> [[Float]] {
    var mean = Array(repeating: Array(repeating: Float(0), count: keys.count), count: queries.count)
    for h in 0..<heads {
      for q in 0..<queries.count {
        for k in 0..<keys.count { mean[q][k] += weight(head: h, query: q, key: k) / Float(heads) }
      }
    }
    return mean
  }

  /// A short name such as "decoder cross, layer 2".
  public var title: String {
    "\(stack.rawValue) \(kind.rawValue), layer \(layer + 1)"
  }
}
