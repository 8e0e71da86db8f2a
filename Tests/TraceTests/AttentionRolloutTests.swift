// Attention rollout (Abnar & Zuidema 2020, §3) against a case worked by hand. Every weight is a
// binary fraction, so the expected matrices are exact and compared with ==, and the case is chosen
// so that the usual mistakes (no residual identity, layers multiplied in the wrong order, one head
// instead of their mean) each give a different matrix.
import Testing
import Trace

/// Square self-attention of one encoder layer; `heads` is [head][query][key].
func selfAttention(layer: Int, _ heads: [[[Float]]]) -> AttentionEntry {
  let tokens = (0..<heads[0].count).map { "t\($0)" }
  let weights = heads.flatMap { $0.flatMap { $0 } }
  return AttentionEntry(
    stack: .encoder, kind: .self, layer: layer, heads: heads.count, queries: tokens, keys: tokens,
    weights: weights, scores: weights.map { _ in 0 })
}

/// [n][n] from a flat row-major matrix.
func rows(_ flat: [Float], _ n: Int) -> [[Float]] {
  (0..<n).map { Array(flat[($0 * n)..<(($0 + 1) * n)]) }
}

@Suite struct AttentionRolloutTests {
  // Layer 1: head 0 and head 1, rows are queries t0 t1 t2, columns keys.
  //   head 0: [1 0 0]  head 1: [1 0 0]   mean A₁: [1   0   0  ]   Ã₁ = ½A₁ + ½I: [1    0    0   ]
  //           [1 0 0]          [0 0 1]            [½   0   ½  ]                  [¼    ½    ¼   ]
  //           [0 1 0]          [0 0 1]            [0   ½   ½  ]                  [0    ¼    ¾   ]
  let layer1 = selfAttention(
    layer: 0, [[[1, 0, 0], [1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, 0, 1], [0, 0, 1]]])
  // Layer 2:
  //   head 0: [1 0 0]  head 1: [1 0 0]   mean A₂: [1   0   0  ]   Ã₂:            [1    0    0   ]
  //           [0 1 0]          [0 0 1]            [0   ½   ½  ]                  [0    ¾    ¼   ]
  //           [1 0 0]          [1 0 0]            [1   0   0  ]                  [½    0    ½   ]
  let layer2 = selfAttention(
    layer: 1, [[[1, 0, 0], [0, 1, 0], [1, 0, 0]], [[1, 0, 0], [0, 0, 1], [1, 0, 0]]])

  @Test func headMeanAveragesTheHeads() {
    #expect(rows(AttentionRollout.headMean(layer1), 3) == [[1, 0, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
  }

  /// Rollout = Ã₂·Ã₁ (the later layer on the left: row q of Ã₂ mixes the rows of Ã₁):
  ///   row t0: 1·Ã₁[t0]                 = [1      0      0    ]
  ///   row t1: ¾·Ã₁[t1] + ¼·Ã₁[t2]      = [3/16   7/16   6/16 ]
  ///   row t2: ½·Ã₁[t0] + ½·Ã₁[t2]      = [8/16   2/16   6/16 ]
  /// Wrong ones: Ã₁·Ã₂ gives row t1 [6/16 6/16 4/16]; A₂·A₁ without the identity gives row t1
  /// [¼ ¼ ½]; head 0 alone would make Ã₂ row t1 [0 1 0] instead of [0 ¾ ¼].
  @Test func twoLayersTwoHeadsByHand() {
    let rollout = rows(AttentionRollout.rollout([layer1, layer2]), 3)
    #expect(rollout == [[1, 0, 0], [0.1875, 0.4375, 0.375], [0.5, 0.125, 0.375]])
    #expect(rollout.allSatisfy { $0.reduce(0, +) == 1 }, "every row is a distribution")
  }

  @Test func oneLayerIsHalfAttentionHalfIdentity() {
    #expect(
      rows(AttentionRollout.rollout([layer1]), 3) == [[1, 0, 0], [0.25, 0.5, 0.25], [0, 0.25, 0.75]])
  }

  /// Every token attending only to t0: the attention alone says everything comes from t0, but the
  /// residual stream keeps half of each token's own input, which is what rollout is for.
  @Test func theResidualKeepsEachTokensOwnShare() {
    let allOnFirst = selfAttention(layer: 0, [[[1, 0, 0], [1, 0, 0], [1, 0, 0]]])
    #expect(rows(AttentionRollout.rollout([allOnFirst]), 3) == [[1, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5]])
    // Two such layers: t1 keeps ½·½ of itself, the rest has flowed to t0.
    let twice = AttentionRollout.rollout([
      allOnFirst, selfAttention(layer: 1, [[[1, 0, 0], [1, 0, 0], [1, 0, 0]]]),
    ])
    #expect(rows(twice, 3) == [[1, 0, 0], [0.75, 0.25, 0], [0.75, 0, 0.25]])
  }

  @Test func attentionToSelfAndNoLayersLeaveTheIdentity() {
    let identity: [[Float]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    let diagonal = selfAttention(layer: 0, [identity, identity])
    #expect(rows(AttentionRollout.rollout([diagonal, diagonal]), 3) == identity)
    #expect(AttentionRollout.rollout([]) == [])
  }
}
