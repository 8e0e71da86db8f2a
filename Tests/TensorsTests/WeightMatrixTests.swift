// Packed weights: 16-bit decoding is exact, and x·Wᵀ through decoded tiles equals the dense
// product of the decoded matrix on odd shapes (tile edges, one row, wide and narrow).
import Testing

@testable import Tensors

@Suite struct WeightMatrixTests {
  @Test func everyHalfBitPatternWidensExactly() {
    let all = (0...UInt16.max).map { $0 }
    let matrix = HalfPrecisionRows(format: .float16, rows: 256, columns: 256, bits: all)
    let decoded = WeightMatrix.packed(matrix).decoded().scalars
    for (bits, value) in zip(all, decoded) {
      let reference = Float(Float16(bitPattern: bits))
      if reference.isNaN {
        #expect(value.isNaN && value.bitPattern >> 13 & 0x3FF == UInt32(bits & 0x3FF), "NaN payload \(bits)")
      } else {
        #expect(value.bitPattern == reference.bitPattern, "f16 bits \(bits)")
      }
    }
  }

  @Test func bfloat16IsTheTopHalf() {
    let bits: [UInt16] = [0, 0x8000, 0x3F80, 0xBF80, 0x7F80, 0x0001, 0x7FC1, 0x4049]
    let decoded = WeightMatrix.packed(HalfPrecisionRows(format: .bfloat16, rows: 2, columns: 4, bits: bits))
      .decoded().scalars
    #expect(decoded.map(\.bitPattern) == bits.map { UInt32($0) << 16 })
  }

  @Test(arguments: [(1, 7, 3), (5, 33, 700), (17, 1, 9), (3, 130, 513)])
  func packedProductEqualsDense(n: Int, k: Int, m: Int) {
    var generator = SeededGenerator(seed: UInt64(n * 1000 + k * 10 + m))
    let weights = (0..<(m * k)).map { _ in Float(generator.nextNormal()) }
    let bits = weights.map { UInt16($0.bitPattern >> 16) }  // truncated to bf16
    let packed = WeightMatrix.packed(HalfPrecisionRows(format: .bfloat16, rows: m, columns: k, bits: bits))
    let x = Tensor(shape: [n, k], scalars: (0..<(n * k)).map { _ in Float(generator.nextNormal()) })
    let dense = x.matmul(packed.decoded(), transposingOther: true, naive: true)
    let product = packed.multiplyTransposed(x)
    #expect(product.shape == [n, m])
    #expect(product.maxAbsDifference(dense) < 1e-4)
    #expect(packed.row(m - 1) == Array(packed.decoded().row(m - 1)))
    #expect(packed.storedBytes == m * k * 2 && packed.storageName == "bf16")
  }
}
