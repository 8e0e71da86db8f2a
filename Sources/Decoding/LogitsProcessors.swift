// Logits processors, one small type each (as swift-transformers' Generation and Hugging Face's
// `LogitsProcessor`s): they rewrite a row of log-probabilities before sampling; −∞ removes a token.
import Foundation

public protocol LogitsProcessor: Sendable {
  func process(_ logits: inout [Float])
}

/// Divides by T: T < 1 sharpens, T > 1 flattens (the softmax of logits/T). The logits are first
/// shifted so the largest is 0, which leaves the softmax unchanged but keeps a tiny T exact: with
/// T = 1e-39 every log-prob (≤ 0) divided by T would be −∞, and sampling would fall back to id 0;
/// shifted, the argmax stays at 0 and the rest go to −∞, so the argmax is chosen.
public struct Temperature: LogitsProcessor {
  public let value: Float
  public init(_ value: Float) { self.value = value }
  public func process(_ logits: inout [Float]) {
    let maximum = logits.max() ?? 0
    let shift = maximum.isFinite ? maximum : 0
    for index in logits.indices { logits[index] = (logits[index] - shift) / value }
  }
}

/// Keeps the k most probable tokens (ties at the k-th value kept too).
public struct TopK: LogitsProcessor {
  public let k: Int
  public init(_ k: Int) { self.k = k }
  public func process(_ logits: inout [Float]) {
    guard k > 0, k < logits.count else { return }
    let threshold = logits.sorted(by: >)[k - 1]
    for index in logits.indices where logits[index] < threshold { logits[index] = -.infinity }
  }
}

/// Nucleus sampling (Holtzman et al. 2020): keeps the smallest set of most probable tokens whose
/// probabilities sum to at least p; the most probable token always stays.
public struct TopP: LogitsProcessor {
  public let p: Float
  public init(_ p: Float) { self.p = p }
  public func process(_ logits: inout [Float]) {
    guard p < 1 else { return }
    let probabilities = Probabilities.softmax(logits)
    let order = logits.indices.sorted { probabilities[$0] > probabilities[$1] }
    var total: Float = 0
    var keep = Set<Int>()
    for index in order {
      keep.insert(index)
      total += probabilities[index]
      if total >= p { break }
    }
    for index in logits.indices where !keep.contains(index) { logits[index] = -.infinity }
  }
}
