// Logits into probabilities for decoding: the log-softmax every step model returns and the softmax
// sampling draws from, both accumulated in Double (the engine's attention softmax is Tensors').
import Foundation

public enum Probabilities {
  /// log-softmax of a logits row: logits − max − log Σ exp(logits − max).
  public static func logSoftmax(_ logits: some Collection<Float>) -> [Float] {
    // Called across modules the generic body ran unspecialised, element by element through the
    // witness tables: three quarters of a Marian beam step over 80,035 logits. The arithmetic runs
    // on contiguous Floats instead (the same Double sum, so the same values).
    logits.withContiguousStorageIfAvailable(logSoftmax(contiguous:))
      ?? Array(logits).withUnsafeBufferPointer(logSoftmax(contiguous:))
  }

  static func logSoftmax(contiguous logits: UnsafeBufferPointer<Float>) -> [Float] {
    let maximum = logits.max() ?? 0
    var sum = 0.0
    for value in logits { sum += exp(Double(value - maximum)) }
    let logSum = Float(log(sum))
    return logits.map { $0 - maximum - logSum }
  }

  /// Softmax of a row; −∞ entries get probability 0, and so does every entry of an all −∞ row.
  public static func softmax(_ logits: [Float]) -> [Float] {
    let maximum = logits.max() ?? 0
    guard maximum > -.infinity else { return logits.map { _ in 0 } }
    let exps = logits.map { Float(exp(Double($0 - maximum))) }
    let sum = exps.reduce(0, +)
    return exps.map { $0 / sum }
  }
}
