// Vectorised exp and erf on SIMD8<Float> for the softmax and activation hot paths. exp is Cephes'
// expf (range reduction by ln 2 split in two constants, a degree-5 minimax polynomial, the power
// of two built in the exponent bits): relative error about 1e-7. erf is Abramowitz & Stegun 7.1.26
// (absolute error below 1.5e-7) on top of it. The scalar libm functions (`Activation.apply`,
// `expf`) stay the reference these are tested against (VectorMathTests).

public enum VectorMath {
  public typealias Vector = SIMD8<Float>

  /// e^x for each lane; inputs below −87.3 give ~0 (not exactly 0), above 88.7 give ~3e38.
  @inline(__always)
  public static func exp(_ input: Vector) -> Vector {
    let x0 = input.clamped(lowerBound: Vector(repeating: -87.3), upperBound: Vector(repeating: 88.7))
    let n = (x0 * 1.442_695_040_888_963_4 + 0.5).rounded(.down)  // round(x / ln 2)
    var x = x0 - n * 0.693_359_375
    x = x - n * -2.121_944_4e-4
    let z = x * x
    var y: Vector = Vector(repeating: 1.987_569_150_0e-4)
    y = y * x + 1.398_199_950_7e-3
    y = y * x + 8.333_451_907_3e-3
    y = y * x + 4.166_579_589_4e-2
    y = y * x + 1.666_666_545_9e-1
    y = y * x + 5.000_000_120_1e-1
    y = y * z + x + 1
    // 2^n through the exponent field: (n + 127) << 23.
    let exponent = (SIMD8<Int32>(n, rounding: .towardZero) &+ 127) &<< 23
    return y * unsafeBitCast(exponent, to: Vector.self)
  }

  /// erf(x) for each lane (A&S 7.1.26, odd symmetry).
  @inline(__always)
  public static func erf(_ x: Vector) -> Vector {
    let a = x.replacing(with: -x, where: x .< 0)  // |x|
    let t = 1 / (1 + 0.327_591_1 * a)
    var p: Vector = Vector(repeating: 1.061_405_429)
    p = p * t - 1.453_152_027
    p = p * t + 1.421_413_741
    p = p * t - 0.284_496_736
    p = p * t + 0.254_829_592
    let magnitude: Vector = 1 - p * t * exp(-(a * a))
    return magnitude.replacing(with: -magnitude, where: x .< 0)
  }

  /// Applies `body` to `count` floats at `values` in place, 8 at a time; the tail is zero-padded.
  @inline(__always)
  static func transform(
    _ values: UnsafeMutablePointer<Float>, count: Int, _ body: (Vector) -> Vector
  ) {
    var i = 0
    while i + 8 <= count {
      let raw = UnsafeMutableRawPointer(values + i)
      raw.storeBytes(of: body(raw.loadUnaligned(as: Vector.self)), as: Vector.self)
      i += 8
    }
    if i < count {
      var lane = Vector()
      for j in 0..<(count - i) { lane[j] = values[i + j] }
      let result = body(lane)
      for j in 0..<(count - i) { values[i + j] = result[j] }
    }
  }
}

extension Activation {
  /// The activation on `count` floats in place, vectorised; agrees with `apply` (the libm
  /// reference) to about 1e-6.
  public func applyInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
    switch self {
    case .relu:
      VectorMath.transform(values, count: count) { $0.replacing(with: 0, where: $0 .< 0) }
    case .gelu:
      VectorMath.transform(values, count: count) { x in 0.5 * x * (1 + VectorMath.erf(x * 0.707_106_781_186_547_5)) }
    case .geluTanh:
      // tanh(u) = 1 − 2 / (e^{2u} + 1), safe at both ends (e^{2u} → 0 or → huge).
      VectorMath.transform(values, count: count) { x in
        let u = 0.797_884_560_802_865_4 * (x + 0.044_715 * x * x * x)
        return 0.5 * x * (2 - 2 / (VectorMath.exp(2 * u) + 1))
      }
    case .silu:
      VectorMath.transform(values, count: count) { x in x / (1 + VectorMath.exp(-x)) }
    }
  }
}
