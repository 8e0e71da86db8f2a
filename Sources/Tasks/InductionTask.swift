// Repeated random sequences for a decoder-only model, the classic setting in which induction heads form.

/// target = [prefix] + pattern + pattern, where pattern is `period` random tokens "t0"…"t{V−1}"
/// and the optional prefix (length from `prefixLengths`) is noise before it; `source` is empty.
///
/// Alignment indexes into the target itself: for a position t in the repeated half,
/// alignment[t] = t − period, the earlier occurrence of the same token; nil elsewhere. Note the
/// induction head's own target is one further: at query t (predicting token t+1) it attends to
/// key t − period + 1, the token that followed the earlier occurrence of token t.
///
/// With `distinctTokens` (the default) the pattern has no repeated token and the prefix uses only
/// tokens outside the pattern, so every repeated token has exactly one earlier occurrence and the
/// induction target is unambiguous.
///
/// Periods start at 2 on purpose: with a minimum period of k a model can copy with heads that
/// look a fixed k back instead (match the current token k back, read the token k − 1 back), and
/// trained that way on periods 8…16 it does, with no head attending to t − period + 1. Short
/// periods leave only the one-token offset that a real induction head uses.
public struct InductionTask: TaskGenerator {
  public var vocabularySize: Int
  public var periods: ClosedRange<Int>
  public var prefixLengths: ClosedRange<Int>
  public var distinctTokens: Bool

  public init(
    vocabularySize: Int = 24, periods: ClosedRange<Int> = 2...16,
    prefixLengths: ClosedRange<Int> = 0...4, distinctTokens: Bool = true
  ) {
    precondition(vocabularySize >= 2 && periods.lowerBound >= 1 && prefixLengths.lowerBound >= 0)
    if distinctTokens {
      let needsSpare = prefixLengths.upperBound > 0 ? 1 : 0
      precondition(
        periods.upperBound + needsSpare <= vocabularySize,
        "distinct tokens need vocabularySize ≥ longest period (+1 when there is a prefix)")
    }
    self.vocabularySize = vocabularySize
    self.periods = periods
    self.prefixLengths = prefixLengths
    self.distinctTokens = distinctTokens
  }

  public var name: String { "induction" }
  public var sourceWords: [String] { [] }
  /// Sorted as strings ("t0", "t1", "t10", …), like every other word list.
  public var targetWords: [String] { (0..<vocabularySize).map { "t\($0)" }.sorted() }

  public func example(split: TaskSplit, index: Int, seed: UInt64) -> TaskExample {
    drawExample(split: split, index: index, seed: seed, salt: 0x696E_6475_6374_696F) { random in
      let period = random.int(in: periods)
      let prefixLength = random.int(in: prefixLengths)
      var pattern: [Int]
      var spare: [Int]
      if distinctTokens {
        var all = Array(0..<vocabularySize)
        random.shuffle(&all)
        pattern = Array(all[..<period])
        spare = Array(all[period...])
      } else {
        pattern = (0..<period).map { _ in random.int(in: 0..<vocabularySize) }
        spare = Array(0..<vocabularySize)
      }
      let prefix = (0..<prefixLength).map { _ in random.pick(spare) }
      let tokens = (prefix + pattern + pattern).map { "t\($0)" }
      let repeatStart = prefixLength + period
      let alignment: [Int?] = tokens.indices.map { $0 >= repeatStart ? $0 - period : nil }
      return TaskExample(source: [], target: tokens, alignment: alignment)
    }
  }

  /// Positions of the second copy of the pattern, read off the alignment. Its first token cannot
  /// be predicted (nothing announces the repeat); use `predictableRange(of:)` to score induction.
  public func repeatedRange(of example: TaskExample) -> Range<Int> {
    guard let start = example.alignment.firstIndex(where: { $0 != nil }) else {
      return example.target.count..<example.target.count
    }
    return start..<example.target.count
  }

  /// The repeated positions an induction head can predict: all but the first of the second copy.
  public func predictableRange(of example: TaskExample) -> Range<Int> {
    let repeated = repeatedRange(of: example)
    return repeated.isEmpty ? repeated : (repeated.lowerBound + 1)..<repeated.upperBound
  }

  /// The pattern length of an example (t − alignment[t] in the repeated half).
  public func period(of example: TaskExample) -> Int? {
    let repeated = repeatedRange(of: example)
    guard let first = repeated.first, let earlier = example.alignment[first] else { return nil }
    return first - earlier
  }
}
