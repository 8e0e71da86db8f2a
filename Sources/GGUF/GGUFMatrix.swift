// A GGUF weight matrix kept in its GGML blocks (in the memory map) and decoded a few rows at a
// time: `PackedRows` for WeightMatrix's tiled products, plus a fused product for 1–16 input rows.
//
// Orientation: GGML stores a PyTorch weight of shape [out, in] with ne[0] = in, ne[1] = out, rows
// of ne[0] values back to back. So `rows` = ne[1]·ne[2]·ne[3] (out) and `columns` = ne[0] (in),
// which is exactly the [out, in] matrix `WeightMatrix.multiplyTransposed` expects; no transpose.
import CQuantKernels
import Dispatch
import Tensors

public struct GGUFMatrix: FusedRowProducts {
  public let name: String
  public let type: GGMLType
  public let rows: Int
  public let columns: Int
  /// Bytes of one row of blocks.
  public let rowBytes: Int
  let storage: GGUFBytes
  let byteOffset: Int

  init(info: GGUFTensorInfo, storage: GGUFBytes, byteOffset: Int) {
    name = info.name
    type = info.type
    rows = info.rows
    columns = info.columns
    rowBytes = info.columns / info.type.blockSize * info.type.typeSize
    self.storage = storage
    self.byteOffset = byteOffset
  }

  public var storedBytes: Int { rows * rowBytes }
  public var storageName: String { type.name.lowercased() }

  var base: UnsafeRawPointer { storage.base + byteOffset }

  public func decodeRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
    decodeRows(range, into: destination, level: GGUFKernels.level)
  }

  /// `decodeRows` at a given kernel level (tests compare every level with the portable one).
  public func decodeRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>, level: Int32) {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) of \(rows)")
    guard !range.isEmpty else { return }
    let status = attnscope_quant_decode(
      Int32(type.rawValue), level, base + range.lowerBound * rowBytes, destination, range.count * columns)
    precondition(status == 0, "decode \(type.name)")
  }

  /// The largest number of input rows `multiplyRows` takes at once (matvec.c's limit).
  public var maxFusedRows: Int { 16 }

  /// y = x · Wᵀ for x [n, columns] (n ≤ 16) into y [n, rows], dequantising on the fly (see
  /// matvec.c). Rows are split over `threads` workers (1: the calling thread only).
  public func multiplyRows(
    x: UnsafePointer<Float>, n: Int, into y: UnsafeMutablePointer<Float>, threads: Int = 1
  ) {
    multiplyRows(x: x, n: n, into: y, threads: threads, level: GGUFKernels.level)
  }

  /// `multiplyRows` at a given kernel level (tests compare every level with the reference).
  public func multiplyRows(
    x: UnsafePointer<Float>, n: Int, into y: UnsafeMutablePointer<Float>, threads: Int, level: Int32
  ) {
    precondition(n >= 1 && n <= maxFusedRows, "fused product of \(n) rows")
    let parts = max(1, min(threads, rows / 64))
    let (xAddress, yAddress) = (Int(bitPattern: x), Int(bitPattern: y))
    let (type, columns, rows, base) = (Int32(self.type.rawValue), columns, rows, Int(bitPattern: base))
    let work = { @Sendable (part: Int) in
      let begin = part * rows / parts
      let end = (part + 1) * rows / parts
      let status = attnscope_quant_matvec(
        type, level, UnsafeRawPointer(bitPattern: base), columns, begin, end,
        UnsafePointer<Float>(bitPattern: xAddress), n, UnsafeMutablePointer<Float>(bitPattern: yAddress), rows
      )
      precondition(status == 0, "matvec")
    }
    if parts == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: work) }
  }
}
