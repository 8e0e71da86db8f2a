// The vectorised exp, erf, activations and softmax against their scalar libm references, on
// awkward lengths (tails shorter than a vector) and extreme values.
import Foundation
import Testing

@testable import Tensors

@Suite struct VectorMathTests {
  static let samples: [Float] = (0..<203).map { Float($0 - 101) * 0.173 } + [-87, -30, 0, 1e-6, 30, 88]

  @Test func expMatchesLibm() {
    let fast = VectorMath.exp(Self.samples)
    for (x, value) in zip(Self.samples, fast) {
      let reference = expf(x)
      #expect(abs(value - reference) <= 3e-7 * reference, "exp(\(x))")
    }
  }

  @Test(arguments: [Activation.relu, .gelu, .geluTanh, .silu])
  func activationsMatchReference(activation: Activation) {
    for count in [0, 1, 7, 8, 9, Self.samples.count] {
      let x = Tensor(shape: [count], scalars: Array(Self.samples.prefix(count)))
      let fast = x.applying(activation)
      let reference = x.applyingReference(activation)
      let diff = zip(fast.scalars, reference.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
      #expect(diff < 2e-6, "\(activation) over \(count) values: \(diff)")
    }
  }

  @Test func softmaxMatchesReference() {
    for count in [1, 3, 8, 13, 64, 517] {
      var fast = (0..<count).map { Float(($0 * 37) % 23) * 0.9 - 9 }
      var reference = fast
      fast.withUnsafeMutableBufferPointer { Softmax.softmaxInPlace($0.baseAddress!, count: count) }
      reference.withUnsafeMutableBufferPointer {
        Softmax.softmaxInPlaceReference($0.baseAddress!, count: count)
      }
      let diff = zip(fast, reference).map { abs($0 - $1) }.max() ?? 0
      #expect(diff < 1e-6, "softmax over \(count): \(diff)")
    }
  }

  @Test func largeBlocksSplitOverThreadsGiveTheSameRows() {
    let (rows, columns) = (300, 400)  // above the threading threshold
    let values = (0..<(rows * columns)).map { Float(($0 * 7919) % 1000) * 0.01 }
    var whole = values
    whole.withUnsafeMutableBufferPointer {
      Softmax.rows($0.baseAddress!, rows: rows, columns: columns, mask: .causal(offset: 0))
    }
    var single = values
    single.withUnsafeMutableBufferPointer {
      Softmax.rows($0.baseAddress!, range: 0..<rows, columns: columns, mask: .causal(offset: 0))
    }
    #expect(whole == single)
  }
}
