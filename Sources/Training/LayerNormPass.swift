// LayerNorm (Ba et al. 2016, biased variance) for training, forward and backward as llm.c's
// `layernorm_forward`/`layernorm_backward`: the forward keeps x̂ and 1/σ per row.
import Tensors
import Transformer

struct LayerNormPass {
  let name: String
  let weight: [Float]  // [d]
  let bias: [Float]  // [d]
  let epsilon: Float

  init(_ parameters: ParameterStore, _ name: String, epsilon: Float) {
    self.name = name
    weight = parameters["\(name).weight"].scalars
    bias = parameters["\(name).bias"].scalars
    self.epsilon = epsilon
  }

  struct Cache {
    var normalized: Tensor  // x̂ = (x − μ)/σ, [n, d]
    var inverseDeviation: [Float]  // 1/σ, [n]
  }

  /// x [n, d] → y [n, d] = x̂ γ + β, with μ and σ² = mean((x − μ)²) over each row.
  func forward(_ x: Tensor) -> (Tensor, Cache) {
    let (n, d) = (x.rows, x.columns)
    precondition(d == weight.count, "\(name): input \(x.shape), weight [\(weight.count)]")
    var y = Tensor(zeros: [n, d])
    var cache = Cache(normalized: Tensor(zeros: [n, d]), inverseDeviation: [Float](repeating: 0, count: n))
    guard n > 0 else { return (y, cache) }
    x.withPointer { xp in
      y.withMutablePointer { yp in
        cache.normalized.withMutablePointer { hat in
          for r in 0..<n {
            let row = xp + r * d
            var mean: Float = 0
            for c in 0..<d { mean += row[c] }
            mean /= Float(d)
            var variance: Float = 0
            for c in 0..<d { variance += (row[c] - mean) * (row[c] - mean) }
            variance /= Float(d)
            let inverse = 1 / (variance + epsilon).squareRoot()
            cache.inverseDeviation[r] = inverse
            for c in 0..<d {
              let normalized = (row[c] - mean) * inverse
              hat[r * d + c] = normalized
              yp[r * d + c] = normalized * weight[c] + bias[c]
            }
          }
        }
      }
    }
    return (y, cache)
  }

  /// dy [n, d] → dx [n, d] = (1/σ)(g − mean(g) − x̂ · mean(g ⊙ x̂)) with g = dy ⊙ γ;
  /// dγ [d] += Σ_rows dy ⊙ x̂, dβ [d] += Σ_rows dy.
  func backward(_ dy: Tensor, _ cache: Cache, _ gradients: GradientBuffer) -> Tensor {
    let (n, d) = (dy.rows, dy.columns)
    var dx = Tensor(zeros: [n, d])
    guard n > 0 else { return dx }
    let (dWeight, dBias) = (gradients.pointer("\(name).weight"), gradients.pointer("\(name).bias"))
    dy.withPointer { dyp in
      cache.normalized.withPointer { hat in
        dx.withMutablePointer { dxp in
          for r in 0..<n {
            let (g, h) = (dyp + r * d, hat + r * d)
            var meanG: Float = 0
            var meanGH: Float = 0
            for c in 0..<d {
              let scaled = g[c] * weight[c]
              meanG += scaled
              meanGH += scaled * h[c]
              dWeight[c] += g[c] * h[c]
              dBias[c] += g[c]
            }
            meanG /= Float(d)
            meanGH /= Float(d)
            let inverse = cache.inverseDeviation[r]
            for c in 0..<d { dxp[r * d + c] = inverse * (g[c] * weight[c] - meanG - h[c] * meanGH) }
          }
        }
      }
    }
    return dx
  }
}
