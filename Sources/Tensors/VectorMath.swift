// The vectorised elementwise kernels (Sources/CKernels: a polynomial exp, softmax, activations)
// seen from Swift. The scalar libm functions (`Activation.apply`, `expf`) stay the reference
// these are tested against (VectorMathTests).
import CKernels

public enum VectorMath {
  /// Instruction-set levels of the CKernels loops (lowered to what the CPU has); tests run each.
  public enum Level: Int32, Sendable, CaseIterable {
    case baseline = 0, avx2 = 1, avx512 = 2
  }

  /// e^x of every value (relative error about 2e-7), at `level` (default: the widest there is).
  public static func exp(_ values: [Float], level: Level = .avx512) -> [Float] {
    var result = values
    result.withUnsafeMutableBufferPointer { attnscope_exp_at(level.rawValue, $0.baseAddress, $0.count) }
    return result
  }
}

extension Activation {
  /// The activation on `count` floats in place, vectorised; agrees with `apply` (the libm
  /// reference) to about 1e-6.
  public func applyInPlace(
    _ values: UnsafeMutablePointer<Float>, count: Int, level: VectorMath.Level = .avx512
  ) {
    let l = level.rawValue
    switch self {
    case .relu: attnscope_relu_at(l, values, count)
    case .gelu: attnscope_gelu_erf_at(l, values, count)
    case .geluTanh: attnscope_gelu_tanh_at(l, values, count)
    case .silu: attnscope_silu_at(l, values, count)
    }
  }
}
