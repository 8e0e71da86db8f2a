// A weight matrix in the precision it was stored in. Dense Float32 (attnscope's own models,
// training) or packed rows — 16-bit floats, GGUF's quantised blocks — decoded to Float32 a tile
// at a time when a product needs them, so a 16-bit checkpoint stays 16-bit in memory and the
// arithmetic is still Float32 on the stored values (llama.cpp's ggml keeps weights in their file
// type and dequantises per block inside its matmul kernels the same way).
import Dispatch

/// Rows of a [rows, columns] matrix stored compactly; decoding is exact (the stored value, widened).
public protocol PackedRows: Sendable {
  var rows: Int { get }
  var columns: Int { get }
  /// Bytes held in memory (for memory reports).
  var storedBytes: Int { get }
  /// The storage, for messages and the model view: "bf16", "f16", "q4_k" …
  var storageName: String { get }
  /// Decodes rows `range` into `destination`, row-major, `range.count × columns` floats.
  func decodeRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>)
}

public enum WeightMatrix: Sendable {
  case dense(Tensor)
  case packed(any PackedRows)

  public var rows: Int {
    switch self {
    case .dense(let t): t.rows
    case .packed(let p): p.rows
    }
  }

  public var columns: Int {
    switch self {
    case .dense(let t): t.columns
    case .packed(let p): p.columns
    }
  }

  public var storedBytes: Int {
    switch self {
    case .dense(let t): t.count * MemoryLayout<Float>.size
    case .packed(let p): p.storedBytes
    }
  }

  public var storageName: String {
    switch self {
    case .dense: "f32"
    case .packed(let p): p.storageName
    }
  }

  /// Row `index` as Float32 (an embedding lookup).
  public func row(_ index: Int) -> [Float] {
    switch self {
    case .dense(let t): return Array(t.row(index))
    case .packed(let p):
      return [Float](unsafeUninitializedCapacity: p.columns) { buffer, count in
        p.decodeRows(index..<(index + 1), into: buffer.baseAddress!)
        count = p.columns
      }
    }
  }

  /// The whole matrix as Float32 (training, tests, small tables).
  public func decoded() -> Tensor {
    switch self {
    case .dense(let t): return t
    case .packed(let p):
      var t = Tensor(zeros: [p.rows, p.columns])
      guard p.rows > 0, p.columns > 0 else { return t }
      t.scalars.withUnsafeMutableBufferPointer { p.decodeRows(0..<p.rows, into: $0.baseAddress!) }
      return t
    }
  }

  /// x [n, columns] · Wᵀ → [n, rows], as `torch.nn.functional.linear` without the bias.
  public func multiplyTransposed(_ x: Tensor) -> Tensor {
    switch self {
    case .dense(let w): return x.matmul(w, transposingOther: true)
    // Decode steps are bound by memory: a fused kernel (PackedRows+Products.swift) reads each
    // weight byte once instead of writing a tile.
    case .packed(let p as PanelPackedWeight): return p.multiplyTransposed(x)
    case .packed(let p): return PackedProduct.fused(x, p) ?? PackedProduct.multiply(x, transposed: p)
    }
  }
}

/// x · Wᵀ for packed W: W is decoded in tiles of rows small enough to stay in the L2 cache, each
/// tile multiplied by BLAS into its columns of the result. Tiles are split over the cores once the
/// CLI owns the threads (see Parallelism), each worker with its own scratch tile.
enum PackedProduct {
  /// About 256 KB of Float32 per tile.
  static func tileRows(columns: Int) -> Int { max(8, min(512, (1 << 16) / max(1, columns))) }

  static func multiply(_ x: Tensor, transposed w: any PackedRows) -> Tensor {
    let (n, k, m) = (x.rows, x.columns, w.rows)
    precondition(k == w.columns, "matmul \(x.shape) · packed [\(w.rows), \(w.columns)]ᵀ")
    var result = Tensor(zeros: [n, m])
    guard n > 0, m > 0, k > 0 else { return result }
    let tile = tileRows(columns: k)
    let tiles = (m + tile - 1) / tile
    let parts =
      Parallelism.ownsThreads && !Parallelism.splittingSuspended && n * m * k >= 1 << 18
      ? min(Softmax.threads, tiles) : 1
    x.scalars.withUnsafeBufferPointer { xBuffer in
      result.scalars.withUnsafeMutableBufferPointer { rBuffer in
        let (xAddress, rAddress) = (
          Int(bitPattern: xBuffer.baseAddress!), Int(bitPattern: rBuffer.baseAddress!)
        )
        let work = { @Sendable (part: Int) in
          let xBase = UnsafePointer<Float>(bitPattern: xAddress)!
          let rBase = UnsafeMutablePointer<Float>(bitPattern: rAddress)!
          let scratch = UnsafeMutablePointer<Float>.allocate(capacity: tile * k)
          defer { scratch.deallocate() }
          for t in stride(from: part * tiles / parts, to: (part + 1) * tiles / parts, by: 1) {
            let rows = (t * tile)..<min(m, (t + 1) * tile)
            w.decodeRows(rows, into: scratch)
            Gemm.multiplySerial(
              MatrixView(xBase, rows: n, columns: k),
              MatrixView(UnsafePointer(scratch), rows: rows.count, columns: k, transposed: true),
              into: rBase + rows.lowerBound, cStride: m, alpha: 1, beta: 0)
          }
        }
        // OpenBLAS is single-threaded whenever parts > 1 (Parallelism.takeOverThreads).
        if parts == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: work) }
      }
    }
    return result
  }
}
