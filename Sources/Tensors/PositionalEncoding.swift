// The fixed sinusoidal positional encoding of "Attention Is All You Need" (Vaswani et al. 2017, §3.5).
import Foundation

public enum SinusoidalEncoding {
  /// [positions, dimensions]: PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(…).
  /// Computed in Double so long tables stay accurate, then stored as Float.
  public static func table(positions: Int, dimensions: Int) -> Tensor {
    var scalars = [Float](repeating: 0, count: positions * dimensions)
    for position in 0..<positions {
      for pair in stride(from: 0, to: dimensions, by: 2) {
        let angle = Double(position) / pow(10000, Double(pair) / Double(dimensions))
        scalars[position * dimensions + pair] = Float(sin(angle))
        if pair + 1 < dimensions { scalars[position * dimensions + pair + 1] = Float(cos(angle)) }
      }
    }
    return Tensor(shape: [positions, dimensions], scalars: scalars)
  }
}
