// Packed rows that can multiply a few input rows without decoding a tile: a decode step (one
// token, or a beam of a few) is memory-bound — every weight byte is read once — so decoding a
// float tile and handing it to BLAS (WeightMatrix's tiled path) costs more than reading the blocks
// directly. GGUF's quantised matrices implement this (GGUFMatrix, CQuantKernels' matvec.c).
// WeightMatrix.multiplyTransposed takes this path through `PackedProduct.fused` when it applies.

/// `PackedRows` with a fused product for up to `maxFusedRows` input rows.
public protocol FusedRowProducts: PackedRows {
  /// The most input rows `multiplyRows` takes at once.
  var maxFusedRows: Int { get }
  /// y [n, rows] = x [n, columns] · Wᵀ, row-major, 1 ≤ n ≤ maxFusedRows, with the weight rows
  /// split over `threads` workers (1: the calling thread only).
  func multiplyRows(x: UnsafePointer<Float>, n: Int, into y: UnsafeMutablePointer<Float>, threads: Int)
}

extension PackedProduct {
  /// x · Wᵀ by W's fused product when W has one and x has few enough rows; nil otherwise (the
  /// caller then decodes tiles). Threads as the tiled path uses them (Parallelism).
  static func fused(_ x: Tensor, _ w: any PackedRows) -> Tensor? {
    guard let fused = w as? any FusedRowProducts, x.rows >= 1, x.rows <= fused.maxFusedRows else {
      return nil
    }
    precondition(x.columns == w.columns, "matmul \(x.shape) · packed [\(w.rows), \(w.columns)]ᵀ")
    var result = Tensor(zeros: [x.rows, w.rows])
    guard w.rows > 0, w.columns > 0 else { return result }
    let threads =
      Parallelism.ownsThreads && !Parallelism.splittingSuspended && w.rows * w.columns >= 1 << 16
      ? Softmax.threads : 1
    x.scalars.withUnsafeBufferPointer { xs in
      result.scalars.withUnsafeMutableBufferPointer { ys in
        fused.multiplyRows(x: xs.baseAddress!, n: x.rows, into: ys.baseAddress!, threads: threads)
      }
    }
    return result
  }
}

extension WeightMatrix {
  /// x [n, columns] · Wᵀ by the fused product of packed rows that have one (n ≤ their
  /// `maxFusedRows`), or nil (dense weights, other packings, more rows).
  public func fusedMultiplyTransposed(_ x: Tensor) -> Tensor? {
    guard case .packed(let p) = self else { return nil }
    return PackedProduct.fused(x, p)
  }
}
