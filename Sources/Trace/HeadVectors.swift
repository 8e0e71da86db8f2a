// The per-head query, key and value vectors behind one attention entry, and each head's output
// Σ_j p_j·v_j before the output projection: what the Q·K detail screen needs to show
// Attention(Q, K, V) = softmax(QKᵀ/√d_k)·V (Vaswani et al. 2017, eq. 1) with real numbers.
// Recorded only on request (`AttentionRecorder(recordsVectors: true)`), since they are larger than
// the weights for short inputs.

public struct HeadVectors: Sendable, Equatable {
  /// d_k, the size of one head's query, key and value.
  public var headDim: Int
  /// Flat [heads, queries, d_k]: q_i of every head (the projection XW_Q, split into heads).
  public var queries: [Float]
  /// Flat [heads, keys, d_k]: k_j as each query head reads it (grouped-query attention repeats a
  /// shared key head for every query head of its group, so every head has its own rows here).
  public var keys: [Float]
  /// Flat [heads, keys, d_k]: v_j, repeated per query head like `keys`.
  public var values: [Float]
  /// Flat [heads, queries, d_k]: Σ_j p_ij·v_j, the head's output before concatenation.
  public var outputs: [Float]

  public init(headDim: Int, queries: [Float], keys: [Float], values: [Float], outputs: [Float]) {
    self.headDim = headDim
    self.queries = queries
    self.keys = keys
    self.values = values
    self.outputs = outputs
  }

  /// Whether the flat arrays have the shapes an entry of `heads` × `queryCount` × `keyCount` needs.
  public func matches(heads: Int, queryCount: Int, keyCount: Int) -> Bool {
    headDim > 0 && queries.count == heads * queryCount * headDim && outputs.count == queries.count
      && keys.count == heads * keyCount * headDim && values.count == keys.count
  }

  public func query(head: Int, index: Int, queryCount: Int) -> ArraySlice<Float> {
    row(queries, head: head, index: index, count: queryCount)
  }
  public func key(head: Int, index: Int, keyCount: Int) -> ArraySlice<Float> {
    row(keys, head: head, index: index, count: keyCount)
  }
  public func value(head: Int, index: Int, keyCount: Int) -> ArraySlice<Float> {
    row(values, head: head, index: index, count: keyCount)
  }
  public func output(head: Int, index: Int, queryCount: Int) -> ArraySlice<Float> {
    row(outputs, head: head, index: index, count: queryCount)
  }

  func row(_ flat: [Float], head: Int, index: Int, count: Int) -> ArraySlice<Float> {
    let start = (head * count + index) * headDim
    return flat[start..<(start + headDim)]
  }
}

extension HeadVectors: Codable {
  enum CodingKeys: String, CodingKey {
    case headDim = "head_dim"
    case queries, keys, values, outputs
  }

  /// Read from [head][token][dimension] arrays; the entry checks them against its own shape.
  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    headDim = try container.decode(Int.self, forKey: .headDim)
    let dk = headDim
    func flat(_ key: CodingKeys) throws -> [Float] {
      let nested = try container.decode([[[Float?]]].self, forKey: key)
      guard nested.allSatisfy({ $0.allSatisfy { $0.count == dk } }) else {
        throw DecodingError.dataCorruptedError(
          forKey: key, in: container, debugDescription: "vectors must have head_dim \(dk) entries")
      }
      return nested.flatMap { $0.flatMap { $0.map { $0 ?? .nan } } }
    }
    queries = try flat(.queries)
    keys = try flat(.keys)
    values = try flat(.values)
    outputs = try flat(.outputs)
  }

  /// Needs the head count, which only the entry knows: see `AttentionEntry.encode(to:)`.
  public func encode(to encoder: Encoder) throws {
    try encode(to: encoder, heads: 1)
  }

  func encode(to encoder: Encoder, heads: Int) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(headDim, forKey: .headDim)
    // JSON has no NaN or ∞: an overflowed activation is written as null (NonFinite.swift).
    try container.encode(nested(queries, heads: heads).finiteOrNull, forKey: .queries)
    try container.encode(nested(keys, heads: heads).finiteOrNull, forKey: .keys)
    try container.encode(nested(values, heads: heads).finiteOrNull, forKey: .values)
    try container.encode(nested(outputs, heads: heads).finiteOrNull, forKey: .outputs)
  }

  /// [heads][tokens][d_k] from a flat [heads, tokens, d_k] array.
  func nested(_ flat: [Float], heads: Int) -> [[[Float]]] {
    let perHead = flat.count / max(1, heads)
    return (0..<heads).map { h in
      stride(from: h * perHead, to: (h + 1) * perHead, by: max(1, headDim)).map {
        Array(flat[$0..<($0 + headDim)])
      }
    }
  }
}

/// Lets an entry encode its vectors with its own head count.
struct HeadVectorsForm: Encodable {
  let vectors: HeadVectors
  let heads: Int
  func encode(to encoder: Encoder) throws { try vectors.encode(to: encoder, heads: heads) }
}
