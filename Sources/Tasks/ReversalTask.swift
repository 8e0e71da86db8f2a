// Sequence reversal, character level: the cross-attention should be a clean anti-diagonal.

/// Source: `lengths` letters drawn uniformly (with repeats) from `alphabet`; target: the same
/// letters reversed; alignment[i] = n − 1 − i.
public struct ReversalTask: TaskGenerator {
  public var alphabet: [String]
  public var lengths: ClosedRange<Int>

  public static let lowercaseLetters: [String] = (UInt8(ascii: "a")...UInt8(ascii: "z")).map {
    String(UnicodeScalar($0))
  }

  public init(alphabet: [String] = ReversalTask.lowercaseLetters, lengths: ClosedRange<Int> = 3...16) {
    precondition(!alphabet.isEmpty && lengths.lowerBound >= 1, "ReversalTask needs letters and length ≥ 1")
    self.alphabet = alphabet
    self.lengths = lengths
  }

  public var name: String { "reversal" }
  public var sourceWords: [String] { Array(Set(alphabet)).sorted() }
  public var targetWords: [String] { sourceWords }

  public func example(split: TaskSplit, index: Int, seed: UInt64) -> TaskExample {
    drawExample(split: split, index: index, seed: seed, salt: 0x7265_7665_7273_616C) { random in
      let count = random.int(in: lengths)
      let source = (0..<count).map { _ in random.pick(alphabet) }
      return TaskExample(
        source: source, target: source.reversed(),
        alignment: (0..<count).map { count - 1 - $0 })
    }
  }
}
