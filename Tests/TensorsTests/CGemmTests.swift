// attnscope's own sgemm (CGemm) at every instruction-set level, forced, against the
// Double-accumulating naive product: shapes that are not multiples of any register tile or cache
// block (MR 12/6/4, NR 32/16, kc 384/256, mc, nc), k = 1, both transposes, strides, alpha and beta;
// and the pre-packed weight form. On a CPU without AVX-512 (or AVX2) CGemm lowers the level, so
// those cases then test the widest level the machine has.
import Testing

@testable import Tensors

@Suite struct CGemmTests {
  static let kernels: [GemmKernel] = [.avx512, .avx2, .portable]
  /// (m, k, n): one element, a row, a column, k = 1, odd sizes around the tile and block edges,
  /// and decode-step shapes (a few rows times a wide weight).
  static let shapes: [(Int, Int, Int)] = [
    (1, 1, 1), (1, 9, 1), (1, 1, 9), (9, 1, 1), (7, 13, 5), (33, 65, 17), (31, 70, 9), (257, 100, 31), (13, 400, 47),
    (300, 3, 70), (5, 777, 100), (12, 384, 32), (130, 769, 40), (3, 1, 40), (8, 129, 65), (16, 50, 600),
  ]

  static func tolerance(k: Int) -> Float { 1e-4 * Float(max(1, k / 256)) }

  func values(_ count: Int, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in generator.nextNormal() }
  }

  /// C = 0.7 · op(A) · op(B) + beta · C with every matrix strided (a spare column in each row).
  func compare(kernel: GemmKernel, m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool, beta: Float) {
    let (aRows, aColumns) = transposeA ? (k, m) : (m, k)
    let (bRows, bColumns) = transposeB ? (n, k) : (k, n)
    let a = values(aRows * (aColumns + 1), seed: UInt64(m * 7 + k))
    let b = values(bRows * (bColumns + 2), seed: UInt64(n * 5 + k))
    let start = values(m * (n + 3), seed: 99)
    var fast = start
    var slow = start
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        let aView = MatrixView(
          ap.baseAddress!, rows: aRows, columns: aColumns, stride: aColumns + 1, transposed: transposeA)
        let bView = MatrixView(
          bp.baseAddress!, rows: bRows, columns: bColumns, stride: bColumns + 2, transposed: transposeB)
        Gemm.multiplySerial(aView, bView, into: &fast, cStride: n + 3, alpha: 0.7, beta: beta, kernel: kernel)
        Gemm.multiplyNaive(aView, bView, into: &slow, cStride: n + 3, alpha: 0.7, beta: beta)
      }
    }
    let difference = zip(fast, slow).map { abs($0 - $1) }.max() ?? 0
    #expect(
      difference <= Self.tolerance(k: k),
      "\(kernel) \(m)×\(k)×\(n) A\(transposeA ? "ᵀ" : "") B\(transposeB ? "ᵀ" : "") β \(beta): \(difference)")
  }

  @Test(arguments: kernels, [(false, false), (true, false), (false, true), (true, true)])
  func everyLevelMatchesNaive(kernel: GemmKernel, transposes: (Bool, Bool)) {
    for (m, k, n) in Self.shapes {
      for beta: Float in [0, 1.5] {
        compare(
          kernel: kernel, m: m, k: k, n: n, transposeA: transposes.0, transposeB: transposes.1, beta: beta)
      }
    }
  }

  @Test(arguments: kernels)
  func betaZeroNeverReadsC(kernel: GemmKernel) {
    // C full of NaN: beta = 0 must overwrite, not multiply, what was there (BLAS's rule).
    let a = values(5 * 7, seed: 1)
    let b = values(9 * 7, seed: 2)
    var c = [Float](repeating: .nan, count: 5 * 9)
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        Gemm.multiplySerial(
          MatrixView(ap.baseAddress!, rows: 5, columns: 7),
          MatrixView(bp.baseAddress!, rows: 9, columns: 7, transposed: true), into: &c, cStride: nil,
          alpha: 1,
          beta: 0, kernel: kernel)
      }
    }
    #expect(c.allSatisfy { !$0.isNaN })
  }

  @Test(arguments: kernels)
  func prepackedWeightMatchesNaive(kernel: GemmKernel) throws {
    for (m, k, n) in Self.shapes {
      let weight = Tensor(shape: [n, k], scalars: values(n * k, seed: UInt64(n + 3 * k)))
      let x = Tensor(shape: [m, k], scalars: values(m * k, seed: UInt64(m + k)))
      let panels = try #require(PanelPackedWeight(.dense(weight), kernel: kernel))
      let expected = x.matmul(weight, transposingOther: true, naive: true)
      let product = WeightMatrix.packed(panels).multiplyTransposed(x)
      #expect(product.maxAbsDifference(expected) <= Self.tolerance(k: k), "\(kernel) \(m)×\(k)×\(n)")
      // Unpacking gives back every weight bit for bit.
      #expect(WeightMatrix.packed(panels).decoded() == weight, "\(kernel) unpack \(n)×\(k)")
    }
  }

  @Test func prepackingWidensSixteenBitWeights() throws {
    let (n, k) = (70, 45)
    let bits = values(n * k, seed: 5).map { UInt16($0.bitPattern >> 16) }
    let half = WeightMatrix.packed(HalfPrecisionRows(format: .bfloat16, rows: n, columns: k, bits: bits))
    let panels = half.packedForProducts(kernel: .avx512)
    #expect(panels.storageName == "f32 panels")
    #expect(panels.decoded() == half.decoded())
    let x = Tensor(shape: [3, k], scalars: values(3 * k, seed: 6))
    #expect(
      panels.multiplyTransposed(x).maxAbsDifference(
        x.matmul(half.decoded(), transposingOther: true, naive: true)) <= 1e-4)
    // A BLAS packs for itself: nothing to pre-pack.
    #expect(half.packedForProducts(kernel: .openBLAS).storageName == "bf16")
  }

  @Test func environmentNamesEveryKernel() {
    for kernel in GemmKernel.allCases where kernel != .automatic {
      #expect(GemmKernel(rawValue: kernel.rawValue) == kernel)
    }
    #expect(GemmKernel.automatic.concrete != .automatic)
  }
}
