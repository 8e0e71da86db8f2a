// AdamW: Adam (Kingma & Ba 2015) with decoupled weight decay (Loshchilov & Hutter 2019), step for
// step as `torch.optim.AdamW` (single-tensor path): θ ← θ(1 − lr·λ); m ← lerp(m, g, 1 − β1);
// v ← β2 v + (1 − β2) g²; θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε).
import Foundation
import Tensors
import Transformer

/// Which parameters weight decay applies to.
public enum WeightDecayScope: Sendable {
  /// Every parameter, as `torch.optim.AdamW(model.parameters())`.
  case all
  /// Weight matrices only: no decay for biases, LayerNorm parameters or embedding tables
  /// (the grouping of nanoGPT / Hugging Face trainers).
  case matricesOnly

  func applies(to name: String) -> Bool {
    switch self {
    case .all: return true
    case .matricesOnly:
      return !(name.hasSuffix(".bias") || name.contains("norm.") || name.contains(".embed_"))
    }
  }
}

public struct AdamW: Sendable {
  public var learningRate: Float
  public var beta1: Float
  public var beta2: Float
  public var epsilon: Float
  public var weightDecay: Float
  public var decayScope: WeightDecayScope
  /// Steps taken so far (t in the bias corrections).
  public private(set) var stepCount = 0
  var firstMoments: [String: [Float]] = [:]  // m, per parameter
  var secondMoments: [String: [Float]] = [:]  // v, per parameter

  /// Defaults are PyTorch's (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0.01).
  public init(
    learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
    weightDecay: Float = 0.01, decayScope: WeightDecayScope = .all
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.decayScope = decayScope
  }

  /// One update of every parameter that has a gradient; `learningRate` (e.g. from a schedule)
  /// overrides the stored rate for this step.
  public mutating func step(
    _ parameters: inout ParameterStore, _ gradients: Gradients, learningRate: Float? = nil
  ) {
    stepCount += 1
    let lr = Double(learningRate ?? self.learningRate)
    let t = Double(stepCount)
    let stepSize = Float(lr / (1 - pow(Double(beta1), t)))
    let correction2 = Float((1 - pow(Double(beta2), t)).squareRoot())
    let (b1Weight, b2, b2Weight, eps) = (1 - beta1, beta2, 1 - beta2, epsilon)
    for (name, gradient) in gradients.tensors {
      let count = gradient.count
      let decay = decayScope.applies(to: name) ? Float(1 - lr * Double(weightDecay)) : 1
      if firstMoments[name] == nil {
        firstMoments[name] = [Float](repeating: 0, count: count)
        secondMoments[name] = [Float](repeating: 0, count: count)
      }
      // In place: the moments stay uniquely owned by their dictionaries, so nothing is copied.
      gradient.scalars.withUnsafeBufferPointer { g in
        firstMoments[name]!.withUnsafeMutableBufferPointer { m in
          secondMoments[name]!.withUnsafeMutableBufferPointer { v in
            parameters.update(name) { parameter in
              precondition(
                parameter.count == count, "gradient \(name) has \(count) values for \(parameter.shape)")
              parameter.scalars.withUnsafeMutableBufferPointer { p in
                for i in 0..<count {
                  m[i] += b1Weight * (g[i] - m[i])
                  v[i] = v[i] * b2 + b2Weight * g[i] * g[i]
                  let denominator = v[i].squareRoot() / correction2 + eps
                  p[i] = p[i] * decay - stepSize * (m[i] / denominator)
                }
              }
            }
          }
        }
      }
    }
  }
}
