// The fused kernels on rows long enough to reach every code path the fixtures' three-block rows do
// not: the block-scaled AVX-512 kernels widen scales sixteen blocks at a time (37 blocks: two whole
// groups and a partial one), the 256-value kernels walk several super-blocks, and 1, 2 and 4 input
// rows share a decoded block (n = 1…5 and 16 mix the groupings). Random block bytes with finite,
// moderate binary16 scales; the reference is the portable exact decode, then a Double dot product.
import CQuantKernels
import Testing

/// Byte offsets of each type's binary16 scales within a block (quant_blocks.h).
private let scaleOffsets: [Int32: [Int]] = [
  2: [0], 3: [0, 2], 6: [0], 7: [0, 2], 8: [0], 10: [80, 82], 11: [108], 12: [0, 2], 13: [0, 2], 14: [208],
]

private struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@Suite struct LongRowKernelTests {
  @Test(arguments: [Int32(2), 3, 6, 7, 8, 10, 11, 12, 13, 14])
  func longRowsMatchDecodeThenDot(_ type: Int32) throws {
    let perBlock = attnscope_quant_block_elements(type), blockBytes = attnscope_quant_block_bytes(type)
    let blocksPerRow = perBlock == 32 ? 37 : 5
    let (rows, columns) = (9, blocksPerRow * perBlock)
    var generator = SplitMix(state: UInt64(type))
    var bytes = (0..<(rows * blocksPerRow * blockBytes)).map { _ in
      UInt8.random(in: 0...255, using: &generator)
    }
    for block in 0..<(rows * blocksPerRow) {
      for offset in try #require(scaleOffsets[type]) {
        // Exponent 8…15 (2⁻⁷…2⁰), either sign: finite, and no product overflows.
        let half =
          UInt16.random(in: 0...0x3ff, using: &generator) | 0x2000 | (generator.next() & 1 == 0 ? 0 : 0x8000)
        bytes[block * blockBytes + offset] = UInt8(half & 0xff)
        bytes[block * blockBytes + offset + 1] = UInt8(half >> 8)
      }
    }
    var weights = [Float](repeating: 0, count: rows * columns)
    #expect(
      attnscope_quant_decode(type, Int32(ATTNSCOPE_QUANT_PORTABLE), bytes, &weights, rows * columns) == 0)
    for n in [1, 2, 3, 4, 5, 16] {
      let x = (0..<(n * columns)).map { _ in Float.random(in: -1...1, using: &generator) }
      for level in kernelLevels {
        var y = [Float](repeating: .nan, count: n * rows)
        #expect(attnscope_quant_matvec(type, level, bytes, columns, 0, rows, x, n, &y, rows) == 0)
        for i in 0..<n {
          for r in 0..<rows {
            var (sum, magnitude) = (0.0, 0.0)
            for c in 0..<columns {
              let product = Double(weights[r * columns + c]) * Double(x[i * columns + c])
              sum += product
              magnitude += abs(product)
            }
            #expect(
              abs(Double(y[i * rows + r]) - sum) <= 1e-5 * magnitude,
              "type \(type) level \(level) n \(n) [\(i), \(r)]: \(y[i * rows + r]) vs \(sum)")
          }
        }
      }
    }
  }
}
