// Matrix products: attnscope's own packed sgemm (CGemm, at the widest instruction set the CPU has)
// or BLAS, and a naive triple loop kept as the obviously-correct reference (the pairing llm.c
// uses: matmul_forward_naive beside matmul_forward).
import CGemm
import Dispatch
import Foundation

#if canImport(Accelerate)
  import Accelerate
#else
  import CBLAS
#endif

/// Which code computes a product. `automatic` is CGemm at the CPU's widest level on x86-64 Linux
/// (Accelerate on macOS), unless the environment variable ATTNSCOPE_GEMM names another
/// (`openblas`, `avx512`, `avx2`, `portable`) — so a whole test run can force each path.
public enum GemmKernel: String, Sendable, CaseIterable {
  case automatic, openBLAS = "openblas", avx512, avx2, portable

  /// What `automatic` means in this process.
  public static let resolved: GemmKernel = {
    if let name = ProcessInfo.processInfo.environment["ATTNSCOPE_GEMM"]?.lowercased(),
      let kernel = GemmKernel(rawValue: name), kernel != .automatic
    {
      return kernel
    }
    #if canImport(Accelerate)
      return .openBLAS  // the system BLAS: Accelerate
    #else
      return best
    #endif
  }()

  /// The widest CGemm level this CPU supports.
  public static var best: GemmKernel {
    switch attnscope_gemm_best_level() {
    case Int32(ATTNSCOPE_GEMM_AVX512): .avx512
    case Int32(ATTNSCOPE_GEMM_AVX2): .avx2
    default: .portable
    }
  }

  /// This kernel with `automatic` resolved.
  var concrete: GemmKernel { self == .automatic ? Self.resolved : self }

  /// The CGemm level (lowered by CGemm to what the CPU has); nil for BLAS.
  var level: Int32? {
    switch concrete {
    case .avx512: Int32(ATTNSCOPE_GEMM_AVX512)
    case .avx2: Int32(ATTNSCOPE_GEMM_AVX2)
    case .portable: Int32(ATTNSCOPE_GEMM_PORTABLE)
    case .openBLAS, .automatic: nil
    }
  }
}

/// A row-major matrix view into caller-owned memory; `stride` is the distance between rows.
public struct MatrixView {
  public let base: UnsafePointer<Float>
  public let rows: Int
  public let columns: Int
  public let stride: Int
  public let transposed: Bool

  public init(
    _ base: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int? = nil,
    transposed: Bool = false
  ) {
    self.base = base
    self.rows = rows
    self.columns = columns
    self.stride = stride ?? columns
    self.transposed = transposed
  }

  /// Shape as used in the product (after the optional transpose).
  var logicalRows: Int { transposed ? columns : rows }
  var logicalColumns: Int { transposed ? rows : columns }
}

public enum Gemm {
  /// C = alpha · op(A) · op(B) + beta · C, with C a row-major view of `rows(op A) × columns(op B)`.
  public static func multiply(
    _ a: MatrixView, _ b: MatrixView, into c: UnsafeMutablePointer<Float>, cStride: Int? = nil,
    alpha: Float = 1, beta: Float = 0, kernel: GemmKernel = .automatic
  ) {
    let (m, k, n) = (a.logicalRows, a.logicalColumns, b.logicalColumns)
    precondition(b.logicalRows == k, "inner dimensions \(k) vs \(b.logicalRows)")
    guard m > 0, n > 0 else { return }
    // Each part packs the whole of the operand it does not split (a BLAS, or CGemm without a
    // pre-packed weight, packs op(B) on every call): split the larger side, so the smaller one is
    // the one packed twice — a 128-token prompt times a 576 × 1536 weight splits the weight's
    // columns, and packing fell from a quarter of SmolLM2's prompt pass to an eighth.
    let byRows = m >= n
    let parts =
      Parallelism.ownsThreads && !Parallelism.splittingSuspended && m * n * k >= 1 << 18
      ? min(Softmax.threads, (byRows ? m : n) / 16) : 1
    if parts > 1 {
      multiplyInParts(
        a, b, into: c, cStride: cStride, alpha: alpha, beta: beta, parts: parts, byRows: byRows,
        kernel: kernel)
      return
    }
    multiplySerial(a, b, into: c, cStride: cStride, alpha: alpha, beta: beta, kernel: kernel)
  }

  /// Blocks of C on our own threads, each a single-threaded BLAS call (see Parallelism): `parts`
  /// bands of rows, or of columns when there are few rows (a few tokens times a wide weight).
  static func multiplyInParts(
    _ a: MatrixView, _ b: MatrixView, into c: UnsafeMutablePointer<Float>, cStride: Int?,
    alpha: Float, beta: Float, parts: Int, byRows: Bool, kernel: GemmKernel = .automatic
  ) {
    let (m, k, n) = (a.logicalRows, a.logicalColumns, b.logicalColumns)
    let (cAddress, ldc) = (Int(bitPattern: c), cStride ?? n)
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      let count = byRows ? m : n
      let range = (part * count / parts)..<((part + 1) * count / parts)
      let cBase = UnsafeMutablePointer<Float>(bitPattern: cAddress)!
      if byRows {
        // A's logical row r starts at r·stride (stored as is) or at column r (stored transposed).
        let block = MatrixView(
          a.base + (a.transposed ? range.lowerBound : range.lowerBound * a.stride),
          rows: a.transposed ? k : range.count, columns: a.transposed ? range.count : k, stride: a.stride,
          transposed: a.transposed)
        multiplySerial(
          block, b, into: cBase + range.lowerBound * ldc, cStride: ldc, alpha: alpha, beta: beta,
          kernel: kernel)
      } else {
        // B's logical column j starts at column j (stored as is) or at row j (stored transposed).
        let block = MatrixView(
          b.base + (b.transposed ? range.lowerBound * b.stride : range.lowerBound),
          rows: b.transposed ? range.count : k, columns: b.transposed ? k : range.count, stride: b.stride,
          transposed: b.transposed)
        multiplySerial(
          a, block, into: cBase + range.lowerBound, cStride: ldc, alpha: alpha, beta: beta, kernel: kernel)
      }
    }
  }

  static func multiplySerial(
    _ a: MatrixView, _ b: MatrixView, into c: UnsafeMutablePointer<Float>, cStride: Int?,
    alpha: Float, beta: Float, kernel: GemmKernel = .automatic
  ) {
    let (m, k, n) = (a.logicalRows, a.logicalColumns, b.logicalColumns)
    if let level = kernel.level {
      attnscope_sgemm(
        level, a.transposed ? 1 : 0, b.transposed ? 1 : 0, m, n, k, alpha, a.base, max(1, a.stride), b.base,
        max(1, b.stride), beta, c, cStride ?? n)
      return
    }
    cblas_sgemm(
      CblasRowMajor, a.transposed ? CblasTrans : CblasNoTrans,
      b.transposed ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha, a.base,
      Int32(max(1, a.stride)), b.base, Int32(max(1, b.stride)), beta, c, Int32(cStride ?? n))
  }

  /// The reference: the same contract as `multiply`, computed with a Double-accumulating triple loop.
  public static func multiplyNaive(
    _ a: MatrixView, _ b: MatrixView, into c: UnsafeMutablePointer<Float>, cStride: Int? = nil,
    alpha: Float = 1, beta: Float = 0
  ) {
    let (m, k, n) = (a.logicalRows, a.logicalColumns, b.logicalColumns)
    precondition(b.logicalRows == k, "inner dimensions \(k) vs \(b.logicalRows)")
    func element(_ view: MatrixView, _ i: Int, _ j: Int) -> Float {
      view.transposed ? view.base[j * view.stride + i] : view.base[i * view.stride + j]
    }
    let ldc = cStride ?? n
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k { sum += Double(element(a, i, p)) * Double(element(b, p, j)) }
        let previous = beta == 0 ? 0 : beta * c[i * ldc + j]
        c[i * ldc + j] = alpha * Float(sum) + previous
      }
    }
  }
}

extension Tensor {
  /// [m, k] · [k, n] → [m, n]; with `transposingOther`, other is [n, k] (a PyTorch Linear weight).
  public func matmul(
    _ other: Tensor, transposingOther: Bool = false, naive: Bool = false, kernel: GemmKernel = .automatic
  ) -> Tensor {
    let (m, k) = (rows, columns)
    let n = transposingOther ? other.rows : other.columns
    precondition((transposingOther ? other.columns : other.rows) == k, "matmul \(shape) · \(other.shape)")
    var result = Tensor(zeros: [m, n])
    guard m > 0, n > 0, k > 0 else { return result }  // empty buffers have no base address
    scalars.withUnsafeBufferPointer { a in
      other.scalars.withUnsafeBufferPointer { b in
        result.scalars.withUnsafeMutableBufferPointer { c in
          let aView = MatrixView(a.baseAddress!, rows: m, columns: k)
          let bView = MatrixView(
            b.baseAddress!, rows: other.rows, columns: other.columns, transposed: transposingOther)
          if naive {
            Gemm.multiplyNaive(aView, bView, into: c.baseAddress!)
          } else {
            Gemm.multiply(aView, bView, into: c.baseAddress!, kernel: kernel)
          }
        }
      }
    }
    return result
  }
}

/// A view is only used inside the call that made it (its memory outlives the call), so sharing it
/// with that call's worker threads is safe.
extension MatrixView: @unchecked Sendable {}
