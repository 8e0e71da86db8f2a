// A small reproducible random source (SplitMix64, Steele et al. 2014) so seeds give the same weights
// and data on every platform, unlike SystemRandomNumberGenerator.
import Foundation

public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [0, 1) with 24 bits of precision.
  public mutating func nextUniform() -> Float { Float(next() >> 40) / Float(1 << 24) }

  /// Uniform in [0, 1) with 53 bits of precision.
  public mutating func nextUnitDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }

  /// Standard normal by Box–Muller.
  public mutating func nextNormal() -> Float {
    let u1 = max(nextUnitDouble(), 1e-300)
    let u2 = nextUnitDouble()
    return Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
  }
}
