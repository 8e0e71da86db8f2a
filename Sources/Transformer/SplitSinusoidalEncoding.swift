// Marian's sinusoidal table (transformers' MarianSinusoidalPositionalEmbedding, after XLM's
// create_sinusoidal_embeddings): the same frequencies as Vaswani et al. §3.5, but not interleaved —
// every sine in the first half of the dimensions, every cosine in the second half.
import Foundation
import Tensors

extension SinusoidalEncoding {
  /// [positions, dimensions]: PE[pos, i] = sin(pos / 10000^(2i/d)) for i < ⌈d/2⌉, and
  /// PE[pos, ⌈d/2⌉ + i] = cos(pos / 10000^(2i/d)). Computed in Double, stored as Float, as the
  /// reference computes in float64 NumPy before casting.
  public static func splitTable(positions: Int, dimensions: Int) -> Tensor {
    let sines = (dimensions + 1) / 2
    var scalars = [Float](repeating: 0, count: positions * dimensions)
    for position in 0..<positions {
      let row = position * dimensions
      for i in 0..<sines {
        let angle = Double(position) / pow(10000, Double(2 * i) / Double(dimensions))
        scalars[row + i] = Float(sin(angle))
        if sines + i < dimensions { scalars[row + sines + i] = Float(cos(angle)) }
      }
    }
    return Tensor(shape: [positions, dimensions], scalars: scalars)
  }
}
