// What each head does, in a few numbers read off its attention rows: entropy, sink mass, previous
// token, self, the source read backwards, and (on a repeated random sequence) induction. The
// scores follow Olsson et al. 2022, "In-context Learning and Induction Heads" (the prefix-matching
// score on a repeated random sequence) and Xiao et al. 2024 (attention sinks on position 0).

import Foundation

/// One of the numbers a head is fingerprinted by; the model view colours and sorts by any of them.
public enum HeadMetric: String, CaseIterable, Codable, Sendable {
  /// Mean over query rows of −Σ p log p, in nats (0 for a row on one key).
  case entropy
  /// Mean attention on key 0.
  case sink
  /// Mean attention of query t on key t − 1 (self-attention; queries from t = 1).
  case previousToken = "previous_token"
  /// Mean attention of query t on key t (self-attention).
  case selfScore = "self"
  /// Cross-attention: mean attention of decoder position j on source token n − 1 − j, where n
  /// counts the source tokens before its end token (the reverse sample's alignment).
  case antiDiagonal = "anti_diagonal"
  /// Decoder-only models, on the repeated random sequence (`InductionProbe`): mean attention from
  /// each token of the second copy to the token after its earlier occurrence.
  case induction

  public var title: String {
    switch self {
    case .entropy: "entropy"
    case .sink: "sink mass"
    case .previousToken: "previous token"
    case .selfScore: "self"
    case .antiDiagonal: "anti-diagonal"
    case .induction: "induction"
    }
  }
}

/// The fingerprint of one head of one attention entry; a metric that does not apply is nil.
public struct HeadFingerprint: Sendable, Equatable {
  public var stack: AttentionStack
  public var kind: AttentionKind
  public var layer: Int
  public var head: Int
  public var values: [HeadMetric: Float]

  public init(stack: AttentionStack, kind: AttentionKind, layer: Int, head: Int, values: [HeadMetric: Float])
  {
    self.stack = stack
    self.kind = kind
    self.layer = layer
    self.head = head
    self.values = values
  }

  public subscript(metric: HeadMetric) -> Float? { values[metric] }
}

public enum HeadFingerprints {
  /// Every metric of `head` that applies to `entry` (induction is measured on its own trace:
  /// `induction(_:head:probe:)`).
  public static func measure(_ entry: AttentionEntry, head: Int) -> [HeadMetric: Float] {
    var values: [HeadMetric: Float] = [:]
    let (queries, keys) = (entry.queries.count, entry.keys.count)
    guard queries > 0, keys > 0 else { return values }
    values[.entropy] = mean(0..<queries) { q in rowEntropy(entry, head: head, query: q) }
    values[.sink] = mean(0..<queries) { q in entry.weight(head: head, query: q, key: 0) }
    if entry.kind == .cross {
      // Query j predicts target token j; the source ends with its end token at key K − 1.
      let aligned = min(queries, keys - 1)
      if aligned > 0 {
        values[.antiDiagonal] = mean(0..<aligned) { j in entry.weight(head: head, query: j, key: keys - 2 - j)
        }
      }
    } else if queries == keys {
      values[.selfScore] = mean(0..<queries) { t in entry.weight(head: head, query: t, key: t) }
      if queries > 1 {
        values[.previousToken] = mean(1..<queries) { t in entry.weight(head: head, query: t, key: t - 1) }
      }
    }
    return values
  }

  /// The induction score of `head` on an entry traced over `probe`'s tokens: for each position
  /// t = prefix + half + i of the second copy, the weight on prefix + i + 1 (the token that followed
  /// the same token in the first copy), averaged over i in 0..<half.
  public static func induction(_ entry: AttentionEntry, head: Int, probe: InductionProbe) -> Float? {
    let (prefix, half) = (probe.prefix.count, probe.half.count)
    guard entry.kind != .cross, half > 0, entry.queries.count == prefix + 2 * half,
      entry.keys.count == entry.queries.count
    else { return nil }
    return mean(0..<half) { i in entry.weight(head: head, query: prefix + half + i, key: prefix + i + 1) }
  }

  /// Every head of every self- and cross-attention entry of `trace`, with the induction score
  /// from `induction` (the same model's trace of its probe) where given.
  public static func fingerprints(
    _ trace: AttentionTrace, induction: (trace: AttentionTrace, probe: InductionProbe)? = nil
  ) -> [HeadFingerprint] {
    var result: [HeadFingerprint] = []
    for pair in trace.availableKinds {
      let probeEntries = induction.map { Array($0.trace.entries(stack: pair.stack, kind: pair.kind)) } ?? []
      for entry in trace.entries(stack: pair.stack, kind: pair.kind) {
        let probeEntry = probeEntries.first { $0.layer == entry.layer }
        for head in 0..<entry.heads {
          var values = measure(entry, head: head)
          if let probeEntry, let probe = induction?.probe, head < probeEntry.heads {
            values[.induction] = self.induction(probeEntry, head: head, probe: probe)
          }
          result.append(
            HeadFingerprint(
              stack: entry.stack, kind: entry.kind, layer: entry.layer, head: head, values: values))
        }
      }
    }
    return result
  }

  /// −Σ p log p over the keys of one row, in nats; masked keys (p = 0) add nothing.
  static func rowEntropy(_ entry: AttentionEntry, head: Int, query: Int) -> Float {
    var total: Float = 0
    for key in 0..<entry.keys.count {
      let p = entry.weight(head: head, query: query, key: key)
      if p > 0 { total -= p * Foundation.log(p) }
    }
    return total
  }

  /// The mean of `value` over `range`, summed in Double so long rows lose nothing.
  static func mean(_ range: Range<Int>, _ value: (Int) -> Float) -> Float {
    guard !range.isEmpty else { return 0 }
    var total = 0.0
    for index in range { total += Double(value(index)) }
    return Float(total / Double(range.count))
  }
}

/// The repeated random sequence induction is measured on: `prefix` (the model's own start tokens),
/// then `half` random ids, then the same ids again.
public struct InductionProbe: Sendable, Equatable {
  /// Ids per copy, at most; fewer when the model's positions do not allow two copies of this many.
  public static let defaultHalfLength = 10
  /// The generator's seed (SplitMix64 in Tensors' `SeededGenerator`, drawn by the caller).
  public static let defaultSeed: UInt64 = 0

  public var prefix: [Int]
  public var half: [Int]
  public var seed: UInt64

  public init(prefix: [Int], half: [Int], seed: UInt64) {
    self.prefix = prefix
    self.half = half
    self.seed = seed
  }

  public var ids: [Int] { prefix + half + half }
}
