// Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers", §3): how
// much each input token feeds each position after several layers, treating the residual connection
// as an identity half of every layer's mixing: Ã_l = ½·mean_heads(A_l) + ½·I, rollout = Ã_L ⋯ Ã_1.

public enum AttentionRollout {
  /// The head-averaged attention of `entry`, [queries][keys], flat.
  public static func headMean(_ entry: AttentionEntry) -> [Float] {
    let cells = entry.queries.count * entry.keys.count
    var mean = [Float](repeating: 0, count: cells)
    for head in 0..<entry.heads {
      for i in 0..<cells { mean[i] += entry.weights[head * cells + i] / Float(entry.heads) }
    }
    return mean
  }

  /// The rollout through `entries` (self-attention of one stack, ordered by layer, all square and
  /// of one size), flat [n][n]: row q is how position q's final state draws on each input token.
  /// Each row sums to 1. An empty list gives the identity.
  public static func rollout(_ entries: [AttentionEntry]) -> [Float] {
    let n = entries.first?.queries.count ?? 0
    var result = identity(n)
    for entry in entries {
      precondition(entry.queries.count == n && entry.keys.count == n, "rollout needs square self-attention")
      var mixing = headMean(entry)
      for i in 0..<(n * n) { mixing[i] *= 0.5 }
      for i in 0..<n { mixing[i * n + i] += 0.5 }
      result = multiply(mixing, result, n)  // Ã_l · rollout_{l−1}
    }
    return result
  }

  static func identity(_ n: Int) -> [Float] {
    var matrix = [Float](repeating: 0, count: n * n)
    for i in 0..<n { matrix[i * n + i] = 1 }
    return matrix
  }

  /// [n, n] · [n, n], small enough (≤ a few hundred tokens) for a plain loop.
  static func multiply(_ a: [Float], _ b: [Float], _ n: Int) -> [Float] {
    var c = [Float](repeating: 0, count: n * n)
    for i in 0..<n {
      for k in 0..<n where a[i * n + k] != 0 {
        let aik = a[i * n + k]
        for j in 0..<n { c[i * n + j] += aik * b[k * n + j] }
      }
    }
    return c
  }
}
