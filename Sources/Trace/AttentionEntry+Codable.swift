// JSON form of an attention entry: weights and scores nested as [head][query][key], masked scores as
// null, and any other non-finite value (an activation that overflowed) as null too (NonFinite.swift).

extension AttentionEntry: Codable {
  enum CodingKeys: String, CodingKey {
    case stack, kind, layer, heads, queries, keys, weights, scores, vectors
    case keyValueHeads = "kv_heads"
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(stack, forKey: .stack)
    try container.encode(kind, forKey: .kind)
    try container.encode(layer, forKey: .layer)
    try container.encode(heads, forKey: .heads)
    try container.encode(queries, forKey: .queries)
    try container.encode(keys, forKey: .keys)
    // JSON has no NaN: a weight that is not a number (a model whose activations overflowed) is null.
    try container.encode(nested(weights).finiteOrNull, forKey: .weights)
    // JSON has no −∞: a masked score is written as null.
    try container.encode(nested(scores).finiteOrNull, forKey: .scores)
    // Optional, so traces of models without grouped-query heads keep the original schema.
    try container.encodeIfPresent(keyValueHeads, forKey: .keyValueHeads)
    // Optional, so traces without vectors keep the original schema.
    if let vectors {
      try container.encode(HeadVectorsForm(vectors: vectors, heads: heads), forKey: .vectors)
    }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let heads = try container.decode(Int.self, forKey: .heads)
    let queries = try container.decode([String].self, forKey: .queries)
    let keys = try container.decode([String].self, forKey: .keys)
    let weights = try container.decode([[[Float?]]].self, forKey: .weights)
    let scores = try container.decode([[[Float?]]].self, forKey: .scores)
    let expected = [heads, queries.count, keys.count]
    guard AttentionEntry.shape(of: weights) == expected, AttentionEntry.shape(of: scores) == expected
    else {
      throw DecodingError.dataCorruptedError(
        forKey: .weights, in: container, debugDescription: "weights/scores are not \(expected)")
    }
    let vectors = try container.decodeIfPresent(HeadVectors.self, forKey: .vectors)
    guard vectors?.matches(heads: heads, queryCount: queries.count, keyCount: keys.count) ?? true else {
      throw DecodingError.dataCorruptedError(
        forKey: .vectors, in: container, debugDescription: "vectors do not match \(expected)")
    }
    self.init(
      stack: try container.decode(AttentionStack.self, forKey: .stack),
      kind: try container.decode(AttentionKind.self, forKey: .kind),
      layer: try container.decode(Int.self, forKey: .layer), heads: heads, queries: queries,
      keys: keys, weights: weights.flatMap { $0.flatMap { $0.map { $0 ?? .nan } } },
      scores: scores.flatMap { $0.flatMap { $0.map { $0 ?? -.infinity } } }, vectors: vectors)
    let keyValueHeads = try container.decodeIfPresent(Int.self, forKey: .keyValueHeads)
    guard keyValueHeads.map({ $0 > 0 && heads % $0 == 0 }) ?? true else {
      throw DecodingError.dataCorruptedError(
        forKey: .keyValueHeads, in: container, debugDescription: "kv_heads must divide heads \(heads)")
    }
    self.keyValueHeads = keyValueHeads
  }

  private func nested(_ flat: [Float]) -> [[[Float]]] {
    (0..<heads).map { h in
      (0..<queries.count).map { q in
        let start = index(head: h, query: q, key: 0)
        return Array(flat[start..<(start + keys.count)])
      }
    }
  }

  /// [outer, middle, inner] if every inner array has the same length, else nil.
  private static func shape<T>(of value: [[[T]]]) -> [Int]? {
    let middle = value.first?.count ?? 0
    let inner = value.first?.first?.count ?? 0
    let regular = value.allSatisfy { $0.count == middle && $0.allSatisfy { $0.count == inner } }
    return regular ? [value.count, middle, inner] : nil
  }
}
