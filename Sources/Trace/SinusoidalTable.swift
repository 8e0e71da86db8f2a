// The fixed sinusoidal positional encoding of "Attention Is All You Need" (Vaswani et al. 2017,
// §3.5): the one formula the engine adds to its embeddings and screen 7 draws at any size (the
// screens never import the engine, so it lives with the data they show).
import Foundation

public enum SinusoidalTable {
  /// Row-major [positions, dimensions]: PE[pos, 2i] = sin(pos / 10000^(2i/d)),
  /// PE[pos, 2i+1] = cos(…). Computed in Double so long tables stay accurate, stored as Float.
  public static func values(positions: Int, dimensions: Int) -> [Float] {
    let (positions, dimensions) = (max(0, positions), max(0, dimensions))
    var scalars = [Float](repeating: 0, count: positions * dimensions)
    for position in 0..<positions {
      for pair in stride(from: 0, to: dimensions, by: 2) {
        let angle = Double(position) / pow(10000, Double(pair) / Double(dimensions))
        scalars[position * dimensions + pair] = Float(sin(angle))
        if pair + 1 < dimensions { scalars[position * dimensions + pair + 1] = Float(cos(angle)) }
      }
    }
    return scalars
  }

  /// The same table, one array per position.
  public static func rows(positions: Int, dimensions: Int) -> [[Float]] {
    let flat = values(positions: positions, dimensions: dimensions)
    return (0..<max(0, positions)).map { Array(flat[($0 * dimensions)..<(($0 + 1) * dimensions)]) }
  }
}
