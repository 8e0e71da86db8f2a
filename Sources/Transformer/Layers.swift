// The small layers: Linear (PyTorch layout), the norms, the position-wise feed-forward network.
import Tensors

/// y = x Wᵀ + b with W stored [out, in], as `torch.nn.Linear`; W dense or in its stored precision.
public struct Linear: Sendable {
  public let matrix: WeightMatrix  // [out, in]
  public let bias: [Float]?  // [out]

  public init(_ parameters: ParameterStore, _ name: String) {
    matrix = parameters.matrix("\(name).weight")
    bias = parameters.optional("\(name).bias")?.scalars
  }

  public init(weight: Tensor, bias: [Float]?) {
    matrix = .dense(weight)
    self.bias = bias
  }

  public init(matrix: WeightMatrix, bias: [Float]?) {
    self.matrix = matrix
    self.bias = bias
  }

  /// The weight as Float32 [out, in] (decoded when packed).
  public var weight: Tensor { matrix.decoded() }

  /// y = x: I·x is exact in floating point (every other term is a zero product).
  public static func identity(_ size: Int) -> Linear {
    var weight = Tensor(zeros: [size, size])
    for i in 0..<size { weight[i, i] = 1 }
    return Linear(weight: weight, bias: nil)
  }

  public func callAsFunction(_ x: Tensor) -> Tensor {
    var product = matrix.multiplyTransposed(x)  // [n, in] · [in, out] → [n, out]
    if let bias { product.addRowVector(bias) }  // in place: the product is a fresh buffer
    return product
  }
}

public struct LayerNorm: Sendable {
  public let weight: [Float]
  public let bias: [Float]
  public let epsilon: Float

  public init(_ parameters: ParameterStore, _ name: String, epsilon: Float) {
    weight = parameters["\(name).weight"].scalars
    bias = parameters["\(name).bias"].scalars
    self.epsilon = epsilon
  }

  public func callAsFunction(_ x: Tensor) -> Tensor {
    x.layerNormalized(weight: weight, bias: bias, epsilon: epsilon)
  }
}

/// LayerNorm or RMSNorm, as the config's `NormKind` says; every norm of a model is the same kind.
public struct Norm: Sendable {
  public let kind: NormKind
  public let weight: [Float]
  /// LayerNorm only.
  public let bias: [Float]?
  public let epsilon: Float

  public init(_ parameters: ParameterStore, _ name: String, config: ModelConfig) {
    kind = config.languageModel?.norm ?? .layer
    weight = parameters["\(name).weight"].scalars
    bias = kind == .layer ? parameters["\(name).bias"].scalars : nil
    epsilon = config.layerNormEps
  }

  public func callAsFunction(_ x: Tensor) -> Tensor {
    switch kind {
    case .layer: x.layerNormalized(weight: weight, bias: bias!, epsilon: epsilon)
    case .rms: x.rmsNormalized(weight: weight, epsilon: epsilon)
    case .rmsUnitOffset: x.rmsNormalized(weight: weight, epsilon: epsilon, weightOffset: 1)
    }
  }
}

/// FFN(x) = fc2(act(fc1(x))) (Vaswani et al. §3.3), or the gated form down(act(gate(x)) ⊙ up(x))
/// (Shazeer 2020, "GLU Variants Improve Transformer"), applied to each position independently.
public struct FeedForward: Sendable {
  /// fc1, or the gate of the gated form [ffn, d].
  public let fc1: Linear
  /// The gated form's up projection [ffn, d].
  public let up: Linear?
  /// fc2, or down [d, ffn].
  public let fc2: Linear
  public let activation: Activation

  public init(_ parameters: ParameterStore, _ name: String, config: ModelConfig) {
    if config.languageModel?.gatedFeedForward == true {
      fc1 = Linear(parameters, "\(name).gate")
      up = Linear(parameters, "\(name).up")
      fc2 = Linear(parameters, "\(name).down")
    } else {
      fc1 = Linear(parameters, "\(name).fc1")
      up = nil
      fc2 = Linear(parameters, "\(name).fc2")
    }
    activation = config.activation
  }

  /// Floats of one [rows, ffn] intermediate at most: a long input runs through in blocks of rows
  /// (each position is independent), so a 0.5 B LLM at 4,096 tokens holds 2 × 32 MB of them, not
  /// 2 × 80 MB. Every block is ≥ 64 rows, so its products take the same kernels as the whole.
  public static let blockFloats = 8 << 20

  public func callAsFunction(_ x: Tensor, blockFloats: Int = Self.blockFloats) -> Tensor {
    let block = max(64, blockFloats / max(1, fc1.matrix.rows))
    guard x.rows > block else { return positionwise(x) }
    let width = fc2.matrix.rows
    var result = Tensor(zeros: [x.rows, width])
    for start in stride(from: 0, to: x.rows, by: block) {
      let end = min(x.rows, start + block)
      let part = positionwise(x.rows(start..<end))
      result.scalars.withUnsafeMutableBufferPointer { destination in
        part.scalars.withUnsafeBufferPointer { source in
          (destination.baseAddress! + start * width).update(from: source.baseAddress!, count: source.count)
        }
      }
    }
    return result
  }

  func positionwise(_ x: Tensor) -> Tensor {
    var hidden = fc1(x).applying(activation)  // [n, d] → [n, ffn]
    if let up { hidden.multiplyElementwise(by: up(x)) }
    return fc2(hidden)  // [n, ffn] → [n, d]
  }
}
