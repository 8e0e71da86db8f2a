// Softmax, activations, LayerNorm and positional encoding on hand-checked values.
import Foundation
import Testing

@testable import Tensors

@Suite struct KernelTests {
  @Test func softmaxRowsSumToOneAndSurviveLargeScores() {
    let x = Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, -1000, 0, 1000])
    let y = x.softmaxRows()
    #expect(y.scalars.allSatisfy { $0.isFinite })
    #expect(abs(y.row(0).reduce(0, +) - 1) < 1e-6)
    #expect(abs(y[0, 2] - Float(1 / (1 + exp(-1.0) + exp(-2.0)))) < 1e-6)
    #expect(y[1, 2] == 1)
  }

  @Test func maskedEntriesAreExactlyZero() {
    let x = Tensor(shape: [3, 3], scalars: [5, 9, 9, 1, 2, 9, 0, 0, 0])
    let y = x.softmaxRows(mask: .causal(offset: 0))
    #expect(y[0, 0] == 1 && y[0, 1] == 0 && y[0, 2] == 0)
    #expect(y[1, 2] == 0)
    #expect(abs(y[1, 1] - Float(exp(2.0) / (exp(1.0) + exp(2.0)))) < 1e-6)
    #expect(abs(y[2, 0] - 1.0 / 3) < 1e-6)
  }

  @Test func fullyMaskedRowIsZerosNotNaN() {
    let mask = AttentionMask.explicit([false, false, true, false])
    let y = Tensor(shape: [2, 2], scalars: [3, 4, 5, 6]).softmaxRows(mask: mask)
    #expect(y.scalars == [0, 0, 1, 0])
  }

  @Test func causalOffsetLetsLaterQueriesSeeTheCache() {
    #expect(AttentionMask.causal(offset: 4).isVisible(query: 0, key: 4, keyCount: 6))
    #expect(!AttentionMask.causal(offset: 4).isVisible(query: 0, key: 5, keyCount: 6))
  }

  @Test func activations() {
    #expect(Activation.relu.apply(-2) == 0 && Activation.relu.apply(3) == 3)
    #expect(abs(Activation.gelu.apply(1) - 0.841_344_7) < 1e-6)
    #expect(abs(Activation.gelu.apply(-3) - -0.004_049_7) < 1e-6)
  }

  @Test func layerNormUsesBiasedVariance() {
    let x = Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])
    let y = x.layerNormalized(weight: [1, 1, 1, 1], bias: [0, 0, 0, 0], epsilon: 0)
    // mean 2.5, biased variance 1.25
    #expect(abs(y[0, 0] - Float(-1.5 / 1.25.squareRoot())) < 1e-6)
    #expect(abs(y.scalars.reduce(0, +)) < 1e-6)
  }

  @Test func seededGeneratorIsReproducible() {
    var a = SeededGenerator(seed: 42)
    var b = SeededGenerator(seed: 42)
    #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
    var c = SeededGenerator(seed: 7)
    let normals = (0..<20_000).map { _ in Double(c.nextNormal()) }
    let mean = normals.reduce(0, +) / Double(normals.count)
    #expect(abs(mean) < 0.05)
  }
}
