// Logits into probabilities for decoding: the log-softmax every step model returns and the softmax
// sampling draws from, both accumulated in Double (the engine's attention softmax is Tensors').
import Foundation

public enum Probabilities {
  /// log-softmax of a logits row: logits − max − log Σ exp(logits − max).
  public static func logSoftmax(_ logits: some Collection<Float>) -> [Float] {
    let maximum = logits.max() ?? 0
    let logSum = Float(log(logits.reduce(0.0) { $0 + exp(Double($1 - maximum)) }))
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
