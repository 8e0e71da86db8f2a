// BLAS sgemm against the naive reference on awkward shapes, transposes and strided views.
import Testing

@testable import Tensors

@Suite struct MatmulTests {
  func random(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in generator.nextNormal() })
  }

  @Test(arguments: [(1, 1, 1), (1, 7, 1), (3, 1, 5), (37, 53, 29), (64, 64, 64), (2, 129, 3)])
  func blasMatchesNaive(m: Int, k: Int, n: Int) {
    let a = random([m, k], seed: 1)
    let b = random([k, n], seed: 2)
    let fast = a.matmul(b)
    let slow = a.matmul(b, naive: true)
    #expect(fast.shape == [m, n])
    #expect(fast.maxAbsDifference(slow) <= 1e-4)
  }

  @Test func transposedOtherMatchesNaive() {
    let x = random([5, 7], seed: 3)
    let w = random([3, 7], seed: 4)  // a Linear weight [out, in]
    #expect(
      x.matmul(w, transposingOther: true).maxAbsDifference(x.matmul(w, transposingOther: true, naive: true))
        <= 1e-5)
  }

  @Test func stridedViewsAndAlphaBeta() {
    // A column block of a wider matrix times a transposed block, accumulated into C.
    let a = random([4, 10], seed: 5)
    let b = random([6, 10], seed: 6)
    var fast = [Float](repeating: 1, count: 4 * 6)
    var slow = fast
    a.scalars.withUnsafeBufferPointer { ap in
      b.scalars.withUnsafeBufferPointer { bp in
        let aView = MatrixView(ap.baseAddress! + 2, rows: 4, columns: 3, stride: 10)
        let bView = MatrixView(bp.baseAddress! + 5, rows: 6, columns: 3, stride: 10, transposed: true)
        Gemm.multiply(aView, bView, into: &fast, alpha: 0.5, beta: 2)
        Gemm.multiplyNaive(aView, bView, into: &slow, alpha: 0.5, beta: 2)
      }
    }
    #expect(zip(fast, slow).allSatisfy { abs($0 - $1) <= 1e-5 })
    // Spot-check one element by hand.
    var expected: Float = 2
    for p in 0..<3 { expected += 0.5 * a[1, 2 + p] * b[4, 5 + p] }
    #expect(abs(fast[1 * 6 + 4] - expected) <= 1e-5)
  }

  @Test func emptyDimensionsGiveZeros() {
    #expect(Tensor(zeros: [3, 0]).matmul(Tensor(zeros: [0, 2])) == Tensor(zeros: [3, 2]))
    #expect(Tensor(zeros: [0, 4]).matmul(Tensor(zeros: [4, 2])).shape == [0, 2])
  }
}

/// The engine's own split of a product over threads (Parallelism): bands of rows or of columns,
/// with A and B stored as is or transposed, strided, accumulating into C — against the naive loop.
@Suite struct SplitProductTests {
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func bandsMatchTheNaiveProduct(transposeA: Bool, transposeB: Bool) {
    let (m, k, n) = (37, 19, 41)
    var generator = SeededGenerator(seed: 9)
    let a = (0..<(m * k + 5)).map { _ in generator.nextNormal() }
    let b = (0..<(k * n + 5)).map { _ in generator.nextNormal() }
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        // Stored [k, m] when transposed, with one spare column as stride so views are strided.
        let aView = MatrixView(
          ap.baseAddress!, rows: transposeA ? k : m, columns: transposeA ? m : k,
          stride: (transposeA ? m : k), transposed: transposeA)
        let bView = MatrixView(
          bp.baseAddress!, rows: transposeB ? n : k, columns: transposeB ? k : n,
          stride: (transposeB ? k : n), transposed: transposeB)
        var expected = [Float](repeating: 0.5, count: m * (n + 3))
        expected.withUnsafeMutableBufferPointer {
          Gemm.multiplyNaive(aView, bView, into: $0.baseAddress!, cStride: n + 3, alpha: 0.7, beta: 1)
        }
        for (parts, byRows) in [(2, true), (3, true), (2, false), (5, false)] {
          var actual = [Float](repeating: 0.5, count: m * (n + 3))
          actual.withUnsafeMutableBufferPointer {
            Gemm.multiplyInParts(
              aView, bView, into: $0.baseAddress!, cStride: n + 3, alpha: 0.7, beta: 1, parts: parts,
              byRows: byRows)
          }
          let difference = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
          #expect(difference <= 1e-4, "\(parts) bands by \(byRows ? "rows" : "columns"): \(difference)")
        }
      }
    }
  }
}
