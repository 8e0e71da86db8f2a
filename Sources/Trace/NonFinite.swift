// JSON has no NaN or ±∞ (RFC 8259 §6), and Foundation's encoder throws on them: values that came
// out of a model (weights, scores, vectors, log-probs) are written as null when they are not finite,
// so an overflowing model still exports, and a reader sees exactly which entries were not numbers.

extension Float {
  /// The value, or nil (JSON null) for NaN and ±∞.
  public var finiteOrNull: Float? { isFinite ? self : nil }
}

extension Array where Element == Float {
  public var finiteOrNull: [Float?] { map(\.finiteOrNull) }
  /// Whether any entry is NaN or ±∞.
  public var hasNonFinite: Bool { contains { !$0.isFinite } }
}

extension Array where Element == [Float] {
  public var finiteOrNull: [[Float?]] { map(\.finiteOrNull) }
}

extension Array where Element == [[Float]] {
  public var finiteOrNull: [[[Float?]]] { map(\.finiteOrNull) }
}

extension AttentionTrace {
  /// A notice when some attention weight or score is NaN or +∞ (masked scores are −∞ and do not
  /// count): the model's activations overflowed, so those cells are shown as such and exported as null.
  /// A trace that computes on demand asks its source, which watched the forward pass.
  public var nonFiniteNotice: String? {
    if case .computed(let source) = store { return source.nonFiniteNotice }
    var count = 0
    for entry in attention {
      count += entry.weights.lazy.filter { !$0.isFinite }.count
      count += entry.scores.lazy.filter { $0.isNaN || $0 == .infinity }.count
    }
    guard count > 0 else { return nil }
    return "the model produced \(count) non-finite attention values (NaN or ∞: its activations"
      + " overflowed); they are shown as such and exported as null"
  }
}
