// The shape every task generator produces, and the deterministic train / held-out split.
public struct TaskExample: Sendable, Equatable, Hashable {
  /// Encoder tokens (empty for decoder-only tasks).
  public var source: [String]
  /// Decoder tokens, without <s> and </s> (the trainer adds them).
  public var target: [String]
  /// For each target token, the index of the source token it aligns to (nil where none), from
  /// the generator's own knowledge. Decoder-only tasks index into `target` instead (see the task).
  public var alignment: [Int?]

  public init(source: [String], target: [String], alignment: [Int?]) {
    self.source = source
    self.target = target
    self.alignment = alignment
  }
}

public enum TaskSplit: Sendable, Equatable, Hashable {
  case train, heldOut

  /// One key in this many goes to held-out.
  public static let heldOutModulus: UInt64 = 10

  /// The split a key belongs to, the same on every run and platform.
  public static func of(key: [String]) -> TaskSplit {
    StableHash.tokens(key) % heldOutModulus == 0 ? .heldOut : .train
  }

  /// The split an example belongs to: decided by its source, or by its target when the task is
  /// decoder-only (empty source), so no source sequence is ever in both splits.
  public static func of(_ example: TaskExample) -> TaskSplit {
    of(key: example.source.isEmpty ? example.target : example.source)
  }
}

public protocol TaskGenerator: Sendable {
  var name: String { get }
  /// Every token the source side can contain, sorted, no specials.
  var sourceWords: [String] { get }
  /// Every token the target side can contain, sorted, no specials.
  var targetWords: [String] { get }
  /// Deterministic for (split, seed, index); train and held-out never share an example (same
  /// source sequence).
  func example(split: TaskSplit, index: Int, seed: UInt64) -> TaskExample
}

/// FNV-1a over the tokens' UTF-8, finished with a SplitMix64 scramble. Swift's Hasher is seeded per
/// process, so it cannot decide splits. The scramble matters: FNV-1a's low bit is just the parity
/// of the bytes, so a sequence followed by its own repetition would always land in the same
/// residue class mod 10 without it.
public enum StableHash {
  public static func tokens(_ tokens: [String]) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for token in tokens {
      for byte in token.utf8 {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
      }
      // A separator byte that cannot occur in UTF-8, so ["ab"] and ["a", "b"] differ.
      hash = (hash ^ 0xFF) &* 0x0000_0100_0000_01B3
    }
    return TaskRandom.scramble(hash)
  }
}

/// Draws from `draw` until the example falls in `split`. The stream depends on (seed, index, salt)
/// only, so the result is deterministic; `salt` keeps different tasks on different streams.
func drawExample(
  split: TaskSplit, index: Int, seed: UInt64, salt: UInt64,
  _ draw: (inout TaskRandom) -> TaskExample
) -> TaskExample {
  var random = TaskRandom(seed: seed, stream: UInt64(bitPattern: Int64(index)) ^ salt)
  // Held-out is 1 in 10, so 10,000 misses means the task's space is too small to split.
  for _ in 0..<10_000 {
    let example = draw(&random)
    if TaskSplit.of(example) == split { return example }
  }
  preconditionFailure("no \(split) example found in 10,000 draws: the task's space is too small")
}
