// A stack's input for training: token embedding (×√d when configured, Vaswani et al. §3.4) plus
// positions, learned (trained) or sinusoidal (fixed, no gradient).
import Tensors
import Transformer

struct EmbeddingPass {
  let stack: String  // "encoder" or "decoder", the parameter prefix
  let tokens: Tensor  // [V, d]
  let positions: Tensor  // [max_positions, d]
  let learnedPositions: Bool
  let scale: Float

  init(_ parameters: ParameterStore, stack: String, config: ModelConfig, sinusoidal: Tensor?) {
    self.stack = stack
    tokens = parameters["\(stack).embed_tokens.weight"]
    learnedPositions = config.positional == .learned
    positions =
      learnedPositions
      ? parameters["\(stack).embed_positions.weight"]
      : sinusoidal ?? SinusoidalEncoding.table(positions: config.maxPositions, dimensions: config.dModel)
    scale = config.scaleEmbeddings ? Float(config.dModel).squareRoot() : 1
  }

  /// ids [N] packed by `segments` → x [N, d] = E[id]·scale + P[position inside the example].
  func forward(_ ids: [Int], _ segments: Segments) -> Tensor {
    let d = tokens.columns
    var x = Tensor(zeros: [ids.count, d])
    guard !ids.isEmpty else { return x }
    x.withMutablePointer { xp in
      tokens.withPointer { ep in
        positions.withPointer { pp in
          for (start, length) in zip(segments.starts, segments.lengths) {
            for i in 0..<length {
              let (row, token, position) = (xp + (start + i) * d, ep + ids[start + i] * d, pp + i * d)
              for c in 0..<d { row[c] = token[c] * scale + position[c] }
            }
          }
        }
      }
    }
    return x
  }

  /// dx [N, d] → dE[id] += dx·scale; learned positions: dP[position] += dx.
  func backward(_ dx: Tensor, _ ids: [Int], _ segments: Segments, _ gradients: GradientBuffer) {
    let d = tokens.columns
    guard !ids.isEmpty else { return }
    let dTokens = gradients.pointer("\(stack).embed_tokens.weight")
    let dPositions = learnedPositions ? gradients.pointer("\(stack).embed_positions.weight") : nil
    dx.withPointer { dxp in
      for (start, length) in zip(segments.starts, segments.lengths) {
        for i in 0..<length {
          let (row, token) = (dxp + (start + i) * d, dTokens + ids[start + i] * d)
          for c in 0..<d { token[c] += row[c] * scale }
          if let dPositions {
            let position = dPositions + i * d
            for c in 0..<d { position[c] += row[c] }
          }
        }
      }
    }
  }
}
