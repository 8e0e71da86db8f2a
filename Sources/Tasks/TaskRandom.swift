// Seedable SplitMix64 random source so every generated example is reproducible on every platform.
public struct TaskRandom: Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  /// One independent stream per (seed, stream): both are scrambled so that neighbouring example
  /// indices do not start from neighbouring states.
  public init(seed: UInt64, stream: UInt64) {
    state = TaskRandom.scramble(seed ^ TaskRandom.scramble(stream &+ 0x9E37_79B9_7F4A_7C15))
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return TaskRandom.scramble(state)
  }

  /// Uniform in `range`, without modulo bias (rejects the short top slice of the 64-bit space).
  public mutating func int(in range: Range<Int>) -> Int {
    precondition(!range.isEmpty, "TaskRandom.int(in:) needs a non-empty range")
    let span = UInt64(range.count)
    let threshold = (0 &- span) % span  // 2^64 mod span
    while true {
      let r = next()
      if r >= threshold { return range.lowerBound + Int(r % span) }
    }
  }

  public mutating func int(in range: ClosedRange<Int>) -> Int {
    int(in: range.lowerBound..<(range.upperBound + 1))
  }

  public mutating func pick<T>(_ items: [T]) -> T {
    precondition(!items.isEmpty, "TaskRandom.pick needs at least one item")
    return items[int(in: 0..<items.count)]
  }

  /// True with probability `p` (53-bit uniform, so p = 0 never and p = 1 always fires).
  public mutating func chance(_ p: Double) -> Bool {
    Double(next() >> 11) / Double(UInt64(1) << 53) < p
  }

  /// Fisher–Yates, written out so the order depends only on this generator.
  public mutating func shuffle<T>(_ items: inout [T]) {
    guard items.count > 1 else { return }
    for i in stride(from: items.count - 1, to: 0, by: -1) {
      items.swapAt(i, int(in: 0...i))
    }
  }

  /// The SplitMix64 output function; also a good 64-bit finaliser for hashes.
  static func scramble(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
