// The small layers: Linear (PyTorch layout), LayerNorm, the position-wise feed-forward network.
import Tensors

/// y = x Wᵀ + b with W stored [out, in], as `torch.nn.Linear`.
public struct Linear: Sendable {
  public let weight: Tensor  // [out, in]
  public let bias: [Float]?  // [out]

  public init(_ parameters: ParameterStore, _ name: String) {
    weight = parameters["\(name).weight"]
    bias = parameters.optional("\(name).bias")?.scalars
  }

  public init(weight: Tensor, bias: [Float]?) {
    self.weight = weight
    self.bias = bias
  }

  /// y = x: I·x is exact in floating point (every other term is a zero product).
  public static func identity(_ size: Int) -> Linear {
    var weight = Tensor(zeros: [size, size])
    for i in 0..<size { weight[i, i] = 1 }
    return Linear(weight: weight, bias: nil)
  }

  public func callAsFunction(_ x: Tensor) -> Tensor {
    var product = x.matmul(weight, transposingOther: true)  // [n, in] · [in, out] → [n, out]
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

/// FFN(x) = fc2(act(fc1(x))), applied to each position independently (Vaswani et al. §3.3).
public struct FeedForward: Sendable {
  public let fc1: Linear  // [ffn, d]
  public let fc2: Linear  // [d, ffn]
  public let activation: Activation

  public init(_ parameters: ParameterStore, _ name: String, activation: Activation) {
    fc1 = Linear(parameters, "\(name).fc1")
    fc2 = Linear(parameters, "\(name).fc2")
    self.activation = activation
  }

  public func callAsFunction(_ x: Tensor) -> Tensor {
    fc2(fc1(x).applying(activation))  // [n, d] → [n, ffn] → [n, d]
  }
}
