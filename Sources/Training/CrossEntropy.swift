// Token-level cross-entropy with an ignore index, as `F.cross_entropy(logits, targets,
// ignore_index=-1)`: loss = logsumexp(z) − z_t, ∂loss/∂z = softmax(z) − onehot(t).
import Foundation
import Tensors

enum CrossEntropy {
  /// logits [N, V], targets [N] (−1 ignored) → Σ over counted rows of −log softmax(z)[t] (in Double)
  /// and dLogits [N, V] = (softmax(z) − onehot(t))·scale, zero on ignored rows. `scale` is 1/(tokens
  /// counted in the whole batch), so the gradient is that of the batch mean.
  static func lossAndGradient(_ logits: Tensor, targets: [Int], scale: Float) -> (
    sum: Double, dLogits: Tensor
  ) {
    let (n, v) = (logits.rows, logits.columns)
    precondition(targets.count == n, "\(targets.count) targets for \(n) logit rows")
    var dLogits = Tensor(zeros: [n, v])
    var sum = 0.0
    guard n > 0 else { return (0, dLogits) }
    logits.withPointer { z in
      dLogits.withMutablePointer { dz in
        for r in 0..<n where targets[r] >= 0 {
          let (row, grad, target) = (z + r * v, dz + r * v, targets[r])
          precondition(target < v, "target \(target) outside the output vocabulary (size \(v))")
          var maximum = -Float.infinity
          for c in 0..<v { maximum = max(maximum, row[c]) }
          var total: Float = 0
          for c in 0..<v {
            grad[c] = expf(row[c] - maximum)
            total += grad[c]
          }
          sum += Double(logf(total)) + Double(maximum) - Double(row[target])
          let inverse = scale / total
          for c in 0..<v { grad[c] *= inverse }
          grad[target] -= scale
        }
      }
    }
    return (sum, dLogits)
  }
}
