// The CKernels loops at each instruction-set level, forced (baseline SSE2, AVX2+FMA, AVX-512):
// exp against libm, the activations and softmax against their scalar references, LayerNorm and
// RMSNorm against the sequential loops — on lengths that leave tails shorter than a vector.
import Foundation
import Testing

@testable import Tensors

@Suite struct KernelLevelTests {
  static let samples: [Float] = (0..<203).map { Float($0 - 101) * 0.173 } + [-87, -30, 0, 1e-6, 30, 88]

  @Test(arguments: VectorMath.Level.allCases)
  func expMatchesLibm(level: VectorMath.Level) {
    for (x, value) in zip(Self.samples, VectorMath.exp(Self.samples, level: level)) {
      let reference = expf(x)
      #expect(abs(value - reference) <= 3e-7 * reference, "exp(\(x)) at \(level)")
    }
  }

  @Test(arguments: VectorMath.Level.allCases, [Activation.relu, .gelu, .geluTanh, .silu])
  func activationsMatchReference(level: VectorMath.Level, activation: Activation) {
    for count in [1, 15, 16, 17, 33, Self.samples.count] {
      var fast = Array(Self.samples.prefix(count))
      fast.withUnsafeMutableBufferPointer {
        activation.applyInPlace($0.baseAddress!, count: count, level: level)
      }
      let reference = Self.samples.prefix(count).map(activation.apply)
      let diff = zip(fast, reference).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
      #expect(diff < 2e-6, "\(activation) at \(level) over \(count): \(diff)")
    }
  }

  @Test(arguments: VectorMath.Level.allCases)
  func softmaxMatchesReference(level: VectorMath.Level) {
    for count in [1, 3, 15, 16, 17, 64, 517, 4096] {
      var fast = (0..<count).map { Float(($0 * 37) % 23) * 0.9 - 9 }
      var reference = fast
      fast.withUnsafeMutableBufferPointer {
        Softmax.softmaxInPlace($0.baseAddress!, count: count, level: level)
      }
      reference.withUnsafeMutableBufferPointer {
        Softmax.softmaxInPlaceReference($0.baseAddress!, count: count)
      }
      let diff = zip(fast, reference).map { abs($0 - $1) }.max() ?? 0
      #expect(diff < 1e-6, "softmax at \(level) over \(count): \(diff)")
    }
  }

  @Test(arguments: VectorMath.Level.allCases)
  func normsMatchReference(level: VectorMath.Level) {
    var generator = SeededGenerator(seed: 11)
    for width in [1, 7, 16, 33, 384, 577] {
      let rows = 3
      let x = Tensor(
        shape: [rows, width], scalars: (0..<(rows * width)).map { _ in generator.nextNormal() * 3 + 1 })
      let weight = (0..<width).map { _ in generator.nextNormal() }
      let bias = (0..<width).map { _ in generator.nextNormal() }
      let layer = x.layerNormalized(weight: weight, bias: bias, epsilon: 1e-5, level: level)
      let layerReference = x.layerNormalizedReference(weight: weight, bias: bias, epsilon: 1e-5)
      #expect(layer.maxAbsDifference(layerReference) <= 1e-5, "LayerNorm \(width) at \(level)")
      let rms = x.rmsNormalized(weight: weight, epsilon: 1e-6, level: level)
      let rmsReference = x.rmsNormalizedReference(weight: weight, epsilon: 1e-6)
      #expect(rms.maxAbsDifference(rmsReference) <= 1e-5, "RMSNorm \(width) at \(level)")
    }
    // Gemma's unit offset, at the default level.
    let x = Tensor(shape: [2, 5], scalars: (0..<10).map { Float($0) * 0.3 })
    let w: [Float] = [1, 2, 3, 4, 5]
    #expect(
      x.rmsNormalized(weight: w, epsilon: 1e-6, weightOffset: 1)
        .maxAbsDifference(x.rmsNormalizedReference(weight: w, epsilon: 1e-6, weightOffset: 1)) <= 1e-6)
    #expect(
      x.layerNormalized(weight: w, bias: w, epsilon: 1e-5)
        .maxAbsDifference(x.layerNormalizedReference(weight: w, bias: w, epsilon: 1e-5)) <= 1e-5)
  }
}
