// The position-wise feed-forward network fc2(act(fc1(x))) for training, and the activation
// derivatives: ReLU as PyTorch's threshold_backward (0 at x = 0), exact-erf GELU
// (Hendrycks & Gimpel 2016): d/dx [x Φ(x)] = Φ(x) + x φ(x).
import Foundation
import Tensors
import Transformer

extension Activation {
  /// act(x) and act′(x) together, so GELU's erf is evaluated once per element; the value is
  /// computed exactly as `apply` computes it.
  func valueAndDerivative(_ x: Float) -> (value: Float, derivative: Float) {
    switch self {
    case .relu: return (max(0, x), x > 0 ? 1 : 0)
    case .gelu:
      let twiceCDF = 1 + erff(x * Float(0.5.squareRoot()))  // 2Φ(x)
      let density = expf(-0.5 * x * x) * Float(1 / (2 * Double.pi).squareRoot())  // φ(x)
      return (0.5 * x * twiceCDF, 0.5 * twiceCDF + x * density)
    case .geluTanh:
      // d/dx 0.5x(1 + tanh u), u = c(x + 0.044715x³): 0.5(1 + tanh u) + 0.5x(1 − tanh²u)·c(1 + 3·0.044715x²)
      let c = Float((2 / Double.pi).squareRoot())
      let t = tanhf(c * (x + 0.044715 * x * x * x))
      return (0.5 * x * (1 + t), 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x))
    case .silu:
      let sigmoid = 1 / (1 + expf(-x))
      return (x / (1 + expf(-x)), sigmoid * (1 + x * (1 - sigmoid)))
    }
  }

  func derivative(_ x: Float) -> Float { valueAndDerivative(x).derivative }
}

struct FeedForwardPass {
  let fc1: LinearPass  // [ffn, d]
  let fc2: LinearPass  // [d, ffn]
  let activation: Activation

  init(_ parameters: ParameterStore, _ name: String, activation: Activation) {
    fc1 = LinearPass(parameters, "\(name).fc1")
    fc2 = LinearPass(parameters, "\(name).fc2")
    self.activation = activation
  }

  struct Cache {
    var input: Tensor  // [n, d]
    var hidden: Tensor  // act(fc1(x)), [n, ffn]
    var slope: Tensor  // act′(fc1(x)), [n, ffn]
  }

  /// x [n, d] → [n, ffn] → act → [n, d].
  func forward(_ x: Tensor) -> (Tensor, Cache) {
    var hidden = fc1.forward(x)  // [n, ffn], activated in place below
    var slope = Tensor(zeros: hidden.shape)
    let (count, activation) = (hidden.count, activation)
    if count > 0 {
      hidden.withMutablePointer { h in
        slope.withMutablePointer { s in
          for i in 0..<count { (h[i], s[i]) = activation.valueAndDerivative(h[i]) }
        }
      }
    }
    return (fc2.forward(hidden), Cache(input: x, hidden: hidden, slope: slope))
  }

  /// dy [n, d] → dHidden [n, ffn] → ⊙ act′ → dx [n, d].
  func backward(_ dy: Tensor, _ cache: Cache, _ gradients: GradientBuffer) -> Tensor {
    var dHidden = fc2.backward(dy, input: cache.hidden, gradients)  // [n, ffn]
    let count = dHidden.count
    if count > 0 {
      cache.slope.withPointer { s in dHidden.withMutablePointer { g in for i in 0..<count { g[i] *= s[i] } } }
    }
    return fc1.backward(dHidden, input: cache.input, gradients)  // [n, d]
  }
}
