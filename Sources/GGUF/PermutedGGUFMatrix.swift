// A GGUF matrix read with its rows in another order — llama.cpp's conversion reorders the rows of
// Llama's q and k projections, and transformers (and so GGUFFormat) undoes that on load — that
// keeps the fused product: it multiplies the stored rows in place and then reorders the outputs
// (n·rows floats), so a decode step never decodes a tile of q or k.
import Tensors

public struct PermutedGGUFMatrix: FusedRowProducts {
  public let matrix: GGUFMatrix
  /// Row i of the view is row `order[i]` of `matrix`.
  let view: PermutedRows

  public init(_ matrix: GGUFMatrix, order: [Int]) {
    self.matrix = matrix
    view = PermutedRows(matrix, order: order)
  }

  public var rows: Int { matrix.rows }
  public var columns: Int { matrix.columns }
  public var storedBytes: Int { matrix.storedBytes }
  public var storageName: String { matrix.storageName }
  public var maxFusedRows: Int { matrix.maxFusedRows }

  public func decodeRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
    view.decodeRows(range, into: destination)
  }

  public func multiplyRows(
    x: UnsafePointer<Float>, n: Int, into y: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let stored = UnsafeMutablePointer<Float>.allocate(capacity: n * rows)
    defer { stored.deallocate() }
    matrix.multiplyRows(x: x, n: n, into: stored, threads: threads)
    let order = view.order
    for i in 0..<n {
      let (source, target) = (stored + i * rows, y + i * rows)
      for r in 0..<rows { target[r] = source[order[r]] }
    }
  }
}
