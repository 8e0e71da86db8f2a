// Rotary position embedding (RoPE; Su et al. 2021, "RoFormer"): each pair of a head's dimensions
// is rotated by an angle proportional to the position, so q·k depends on the distance between
// tokens. The frequencies live here, beside the sinusoidal table, because the engine applies them
// and screen 7 draws them (the screens never import the engine). Conventions follow transformers'
// modeling_rope_utils.py: inverse frequencies computed in Float32 as PyTorch does, the
// "rotate half" layout (dimension i pairs with i + d/2), and the `linear` and `llama3` scalings.
import Foundation

/// How the base frequencies are rescaled for long contexts.
public enum RotaryScaling: Sendable, Hashable, Codable {
  /// Position interpolation (Chen et al. 2023): every frequency divided by `factor`.
  case linear(factor: Double)
  /// Llama 3.1: low frequencies divided by `factor`, high ones kept, a smooth ramp between.
  case llama3(factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double, originalContext: Int)
  /// One divisor per frequency, as llama.cpp stores Llama 3.1's scaling in a GGUF file (the
  /// `rope_freqs` tensor, which its rope applies as θᵢ / factorᵢ: ggml's `freq_factors`).
  case frequencyFactors([Float])
}

/// The rotary frequencies of one kind of layer: base θ and an optional scaling.
public struct RotaryFrequencies: Sendable, Hashable, Codable {
  public var theta: Double
  public var scaling: RotaryScaling?

  public init(theta: Double, scaling: RotaryScaling? = nil) {
    self.theta = theta
    self.scaling = scaling
  }

  /// θ_i for i = 0 … dimensions/2 − 1 (`dimensions` = the rotated part of a head, even):
  /// 1 / θ^(2i/d), rescaled. Float32 arithmetic, as transformers builds its `inv_freq` buffer.
  public func inverseFrequencies(dimensions: Int) -> [Float] {
    let plain = stride(from: 0, to: max(0, dimensions), by: 2).map { i -> Float in
      // `base ** (arange(0, d, 2) / d)` on a float32 tensor: the power rounded to Float32.
      1 / Float(pow(theta, Double(Float(i) / Float(dimensions))))
    }
    switch scaling {
    case nil: return plain
    case .linear(let factor): return plain.map { $0 / Float(factor) }
    case .llama3(let factor, let low, let high, let context):
      let (factor, low, high, context) = (Float(factor), Float(low), Float(high), Float(context))
      let (lowWavelength, highWavelength) = (context / low, context / high)
      return plain.map { frequency in
        let wavelength = 2 * Float.pi / frequency
        if wavelength < highWavelength { return frequency }
        if wavelength > lowWavelength { return frequency / factor }
        let smooth = (context / wavelength - low) / (high - low)
        return (1 - smooth) * frequency / factor + smooth * frequency  // PyTorch's order of operations
      }
    case .frequencyFactors(let factors):
      // (the reader checks there is one factor per pair; a short list leaves the rest unscaled)
      return plain.enumerated().map { i, frequency in i < factors.count ? frequency / factors[i] : frequency }
    }
  }

  /// The angle of pair i at `position`, in Double (the reference's precision).
  public static func angles(_ inverse: [Float], position: Int) -> [Double] {
    inverse.map { Double($0) * Double(position) }
  }
}
