// The vectorised elementwise kernels (Sources/CKernels: a polynomial exp, softmax, activations)
// seen from Swift. The scalar libm functions (`Activation.apply`, `expf`) stay the reference
// these are tested against (VectorMathTests).
import CKernels

public enum VectorMath {
  /// e^x of every value (relative error about 2e-7).
  public static func exp(_ values: [Float]) -> [Float] {
    var result = values
    result.withUnsafeMutableBufferPointer { attnscope_exp($0.baseAddress, $0.count) }
    return result
  }
}

extension Activation {
  /// The activation on `count` floats in place, vectorised; agrees with `apply` (the libm
  /// reference) to about 1e-6.
  public func applyInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
    switch self {
    case .relu: attnscope_relu(values, count)
    case .gelu: attnscope_gelu_erf(values, count)
    case .geluTanh: attnscope_gelu_tanh(values, count)
    case .silu: attnscope_silu(values, count)
    }
  }
}
