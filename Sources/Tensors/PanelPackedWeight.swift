// A weight matrix packed once into CGemm's panel layout (the B panels of Goto & van de Geijn 2008:
// NR columns of Wᵀ, k deep, contiguous), so x·Wᵀ never repacks it: a BLAS call packs its B
// operand on every call, which for a 49,152 × 576 LM head cost a fifth of an LLM prompt pass.
// 16-bit and quantised weights are widened to Float32 while packing (2× the memory of bf16).
import CGemm
import Dispatch

public final class PanelPackedWeight: PackedRows, @unchecked Sendable {
  public let rows: Int
  public let columns: Int
  /// The CGemm level the panels were packed for (their width depends on it).
  let level: Int32
  let panelWidth: Int
  /// attnscope_gemm_packed_size floats, 64-byte aligned; written once in init, then only read.
  let panels: UnsafeMutablePointer<Float>
  let floatCount: Int

  /// Packs `matrix` [rows, columns] (decoding packed rows a few panels at a time). nil when
  /// `kernel` is a BLAS (it packs for itself) or the matrix is empty.
  public init?(_ matrix: WeightMatrix, kernel: GemmKernel = .automatic) {
    guard let level = kernel.level, matrix.rows > 0, matrix.columns > 0 else { return nil }
    (rows, columns, self.level) = (matrix.rows, matrix.columns, level)
    panelWidth = attnscope_gemm_panel_width(level)
    floatCount = attnscope_gemm_packed_size(level, rows, columns)
    panels = UnsafeMutableRawPointer.allocate(byteCount: floatCount * 4, alignment: 64)
      .bindMemory(to: Float.self, capacity: floatCount)
    switch matrix {
    case .dense(let tensor):
      tensor.scalars.withUnsafeBufferPointer {
        attnscope_gemm_pack_weight_rows(level, panels, rows, columns, 0, rows, $0.baseAddress!, columns)
      }
    case .packed(let packed):
      let tile = panelWidth * max(1, (1 << 16) / (panelWidth * columns))  // ~256 KB decoded at a time
      let scratch = UnsafeMutablePointer<Float>.allocate(capacity: tile * columns)
      defer { scratch.deallocate() }
      for start in stride(from: 0, to: rows, by: tile) {
        let range = start..<min(rows, start + tile)
        packed.decodeRows(range, into: scratch)
        attnscope_gemm_pack_weight_rows(level, panels, rows, columns, start, range.count, scratch, columns)
      }
    }
  }

  deinit { panels.deallocate() }

  public var storedBytes: Int { floatCount * 4 }
  public var storageName: String { "f32 panels" }

  /// Row j of W is column j % NR of panel j / NR, one value every NR floats.
  public func decodeRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) of \(rows)")
    for (offset, j) in range.enumerated() {
      let source = panels + (j / panelWidth) * columns * panelWidth + j % panelWidth
      let row = destination + offset * columns
      for p in 0..<columns { row[p] = source[p * panelWidth] }
    }
  }

  /// x [n, columns] · Wᵀ → [n, rows]; bands of panels over the cores once the CLI owns the threads
  /// (Parallelism), every band reading its own panels once.
  public func multiplyTransposed(_ x: Tensor) -> Tensor {
    precondition(x.columns == columns, "matmul \(x.shape) · packed [\(rows), \(columns)]ᵀ")
    let n = x.rows
    var result = Tensor(zeros: [n, rows])
    guard n > 0 else { return result }
    let panelCount = (rows + panelWidth - 1) / panelWidth
    let parts =
      Parallelism.ownsThreads && !Parallelism.splittingSuspended && n * rows * columns >= 1 << 18
      ? min(Softmax.threads, panelCount) : 1
    x.scalars.withUnsafeBufferPointer { xBuffer in
      result.scalars.withUnsafeMutableBufferPointer { rBuffer in
        let (xAddress, rAddress) = (
          Int(bitPattern: xBuffer.baseAddress!), Int(bitPattern: rBuffer.baseAddress!)
        )
        let band = { @Sendable (part: Int) in
          let begin = part * panelCount / parts * self.panelWidth
          let end = min(self.rows, (part + 1) * panelCount / parts * self.panelWidth)
          guard begin < end else { return }
          attnscope_sgemm_packed(
            self.level, 0, n, self.rows, self.columns, 1, UnsafePointer<Float>(bitPattern: xAddress)!,
            self.columns, self.panels, begin, end, 0,
            UnsafeMutablePointer<Float>(bitPattern: rAddress)! + begin,
            self.rows)
        }
        if parts == 1 { band(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: band) }
      }
    }
    return result
  }
}

extension WeightMatrix {
  /// This weight packed once for CGemm's products (`PanelPackedWeight`), Float32 in memory; itself
  /// when products go through a BLAS (Accelerate, ATTNSCOPE_GEMM=openblas) or it is already packed so.
  public func packedForProducts(kernel: GemmKernel = .automatic) -> WeightMatrix {
    if case .packed(let p) = self, p is PanelPackedWeight { return self }
    guard let panels = PanelPackedWeight(self, kernel: kernel) else { return self }
    return .packed(panels)
  }
}
