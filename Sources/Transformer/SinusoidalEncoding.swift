// The sinusoidal position tables as engine tensors: Vaswani et al.'s (its formula is Trace's
// `SinusoidalTable`, shared with screen 7), and the 2-D sine-cosine of ViT.
import Foundation
import Tensors
import Trace

public enum SinusoidalEncoding {
  /// [positions, dimensions]: PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(…).
  public static func table(positions: Int, dimensions: Int) -> Tensor {
    Tensor(
      shape: [positions, dimensions],
      scalars: SinusoidalTable.values(positions: positions, dimensions: dimensions))
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
