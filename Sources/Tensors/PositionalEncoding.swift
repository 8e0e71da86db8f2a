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

extension SinusoidalEncoding {
  /// 2-D sine-cosine positions for a `rows`×`columns` patch grid, [rows·columns, dimensions] in
  /// row-major patch order: the first half of the dimensions is the 1-D table above (over d/2) at
  /// the patch's row, the second half the same at its column — the split the ViT and MAE papers
  /// describe (He et al. 2022, MAE, appendix). `dimensions` must be divisible by 4.
  public static func table2D(rows: Int, columns: Int, dimensions: Int) -> Tensor {
    let half = dimensions / 2
    let rowTable = table(positions: rows, dimensions: half)
    let columnTable = table(positions: columns, dimensions: half)
    var result = Tensor(zeros: [rows * columns, dimensions])
    for row in 0..<rows {
      for column in 0..<columns {
        for c in 0..<half {
          result[row * columns + column, c] = rowTable[row, c]
          result[row * columns + column, half + c] = columnTable[column, c]
        }
      }
    }
    return result
  }
}
