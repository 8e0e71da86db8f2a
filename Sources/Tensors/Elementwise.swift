// Elementwise and row-wise kernels: activations, residual add, layer normalisation.
import CKernels
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
  /// The activation elementwise, through the vectorised kernel (`Activation.applyInPlace`).
  public func applying(_ activation: Activation) -> Tensor {
    var result = self
    result.scalars.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      activation.applyInPlace(base, count: buffer.count)
    }
    return result
  }

  /// The reference: `Activation.apply` (libm erff, tanhf, expf) one element at a time.
  public func applyingReference(_ activation: Activation) -> Tensor {
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

  /// Adds a vector to every row in place (no copy when the storage is uniquely referenced, as a
  /// fresh matmul result is).
  public mutating func addRowVector(_ vector: [Float]) {
    precondition(vector.count == columns, "bias \(vector.count) vs \(shape)")
    let (rowCount, width) = (rows, columns)
    scalars.withUnsafeMutableBufferPointer { out in
      vector.withUnsafeBufferPointer { bias in
        for r in 0..<rowCount {
          let row = out.baseAddress! + r * width
          for c in 0..<width { row[c] += bias[c] }
        }
      }
    }
  }

  /// Elementwise sum in place (the residual connection without a fresh buffer).
  public static func += (lhs: inout Tensor, rhs: Tensor) {
    precondition(lhs.shape == rhs.shape, "add \(lhs.shape) + \(rhs.shape)")
    lhs.scalars.withUnsafeMutableBufferPointer { out in
      rhs.scalars.withUnsafeBufferPointer { other in
        for i in 0..<out.count { out[i] += other[i] }
      }
    }
  }

  /// Elementwise product in place (the gate of a gated feed-forward); shapes must match.
  public mutating func multiplyElementwise(by other: Tensor) {
    precondition(shape == other.shape, "multiply \(shape) ⊙ \(other.shape)")
    scalars.withUnsafeMutableBufferPointer { out in
      other.scalars.withUnsafeBufferPointer { factor in
        for i in 0..<out.count { out[i] *= factor[i] }
      }
    }
  }

  /// cap · tanh(x / cap) elementwise in place (Gemma's soft-capping of scores and logits).
  public mutating func softcap(_ cap: Float) {
    scalars.withUnsafeMutableBufferPointer { values in
      for i in 0..<values.count { values[i] = cap * tanhf(values[i] / cap) }
    }
  }

  public func scaled(by factor: Float) -> Tensor {
    Tensor(shape: shape, scalars: scalars.map { $0 * factor })
  }

  /// LayerNorm over the last dimension (Ba et al. 2016) with the biased variance, as `F.layer_norm`.
  public func layerNormalized(
    weight: [Float], bias: [Float], epsilon: Float, level: VectorMath.Level = .avx512
  ) -> Tensor {
    let (rowCount, width) = (rows, columns)
    precondition(weight.count == width && bias.count == width, "layer norm \(width)")
    var result = self
    guard width > 0, rowCount > 0 else { return result }
    // Vectorised in CKernels (attnscope_layer_norm_rows); `layerNormalizedReference` is the loop.
    result.scalars.withUnsafeMutableBufferPointer { out in
      attnscope_layer_norm_rows_at(level.rawValue, out.baseAddress!, rowCount, width, weight, bias, epsilon)
    }
    return result
  }

  /// The reference LayerNorm: sequential sums, one row at a time.
  public func layerNormalizedReference(weight: [Float], bias: [Float], epsilon: Float) -> Tensor {
    let (rowCount, width) = (rows, columns)
    var result = self
    for r in 0..<rowCount {
      let row = Array(self.row(r))
      let mean = row.reduce(0, +) / Float(width)
      let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(width)
      let inverse = 1 / (variance + epsilon).squareRoot()
      for c in 0..<width { result[r, c] = (row[c] - mean) * inverse * weight[c] + bias[c] }
    }
    return result
  }

  /// RMSNorm (Zhang & Sennrich 2019) of every row: x / √(mean(x²) + ε) · (w + offset). Offset 0 is
  /// Llama's `LlamaRMSNorm`; 1 is Gemma's, which stores w − 1 (`Gemma3RMSNorm`: `x · (1 + w)`).
  public func rmsNormalized(
    weight: [Float], epsilon: Float, weightOffset: Float = 0, level: VectorMath.Level = .avx512
  ) -> Tensor {
    let (rowCount, width) = (rows, columns)
    precondition(weight.count == width, "RMS norm \(width) vs weight \(weight.count)")
    var result = self
    guard width > 0, rowCount > 0 else { return result }
    let scale = weight.map { $0 + weightOffset }
    result.scalars.withUnsafeMutableBufferPointer { out in
      attnscope_rms_norm_rows_at(level.rawValue, out.baseAddress!, rowCount, width, scale, epsilon)
    }
    return result
  }

  /// The reference RMSNorm: a sequential sum of squares, one row at a time.
  public func rmsNormalizedReference(weight: [Float], epsilon: Float, weightOffset: Float = 0) -> Tensor {
    let (rowCount, width) = (rows, columns)
    var result = self
    for r in 0..<rowCount {
      let row = Array(self.row(r))
      let inverse = 1 / (row.reduce(0) { $0 + $1 * $1 } / Float(width) + epsilon).squareRoot()
      for c in 0..<width { result[r, c] = row[c] * inverse * (weight[c] + weightOffset) }
    }
    return result
  }
}
