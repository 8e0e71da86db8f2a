// Elementwise and row-wise kernels: activations, residual add, layer normalisation.
import Foundation

public enum Activation: String, Codable, Sendable {
  case relu
  /// The exact form 0.5·x·(1 + erf(x/√2)) (Hendrycks & Gimpel), as PyTorch's default `F.gelu`.
  case gelu
  /// The tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))): GPT-2's `gelu_new`.
  case geluTanh = "gelu_tanh"
  /// x·σ(x) (SiLU, "swish"): Marian's activation.
  case silu

  public func apply(_ x: Float) -> Float {
    switch self {
    case .relu: return max(0, x)
    case .gelu: return 0.5 * x * (1 + erff(x * Float(0.5.squareRoot())))
    case .geluTanh:
      return 0.5 * x * (1 + tanhf(Float((2 / Double.pi).squareRoot()) * (x + 0.044715 * x * x * x)))
    case .silu: return x / (1 + expf(-x))
    }
  }
}

extension Tensor {
  public func applying(_ activation: Activation) -> Tensor {
    Tensor(shape: shape, scalars: scalars.map(activation.apply))
  }

  /// Elementwise sum (the residual connection); shapes must match.
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
    precondition(lhs.shape == rhs.shape, "add \(lhs.shape) + \(rhs.shape)")
    var result = lhs
    result.scalars.withUnsafeMutableBufferPointer { out in
      rhs.scalars.withUnsafeBufferPointer { other in
        for i in 0..<out.count { out[i] += other[i] }
      }
    }
    return result
  }

  /// Adds a vector to every row (a bias).
  public func addingRowVector(_ vector: [Float]) -> Tensor {
    precondition(vector.count == columns, "bias \(vector.count) vs \(shape)")
    var result = self
    let (rowCount, width) = (rows, columns)
    result.scalars.withUnsafeMutableBufferPointer { out in
      vector.withUnsafeBufferPointer { bias in
        for r in 0..<rowCount {
          let row = out.baseAddress! + r * width
          for c in 0..<width { row[c] += bias[c] }
        }
      }
    }
    return result
  }

  public func scaled(by factor: Float) -> Tensor {
    Tensor(shape: shape, scalars: scalars.map { $0 * factor })
  }

  /// LayerNorm over the last dimension (Ba et al. 2016) with the biased variance, as `F.layer_norm`.
  public func layerNormalized(weight: [Float], bias: [Float], epsilon: Float) -> Tensor {
    let width = columns
    precondition(weight.count == width && bias.count == width, "layer norm \(width)")
    var result = self
    for r in 0..<rows {
      let start = r * width
      var mean: Float = 0
      for c in 0..<width { mean += scalars[start + c] }
      mean /= Float(width)
      var variance: Float = 0
      for c in 0..<width {
        let d = scalars[start + c] - mean
        variance += d * d
      }
      variance /= Float(width)
      let inverse = 1 / (variance + epsilon).squareRoot()
      for c in 0..<width {
        result.scalars[start + c] = (scalars[start + c] - mean) * inverse * weight[c] + bias[c]
      }
    }
    return result
  }
}
