// Applies rotary position embedding to projected queries or keys (Su et al. 2021) in transformers'
// "rotate half" layout: within each head, dimension i (i < r/2) pairs with i + r/2, where r is the
// rotated width (the whole head, or Phi-3's partial_rotary_factor of it; the rest passes through):
//   x'ᵢ = xᵢ cos θ − x_{i+r/2} sin θ,   x'_{i+r/2} = x_{i+r/2} cos θ + xᵢ sin θ,   θ = position · fᵢ.
import Foundation
import Tensors
import Trace

struct RotaryPositions: Sendable {
  /// fᵢ for the r/2 pairs (RotaryFrequencies.inverseFrequencies).
  let inverse: [Float]
  let headDim: Int
  /// cos and sin of every pair's angle for the first `tabulated` positions, [position][pair]
  /// (1 MB at 4,096 positions and 64 pairs); later positions are computed when reached.
  let cosines: [Float]
  let sines: [Float]
  let tabulated: Int

  init(frequencies: RotaryFrequencies, rotatedDimensions: Int, headDim: Int, positions: Int) {
    inverse = frequencies.inverseFrequencies(dimensions: rotatedDimensions)
    self.headDim = headDim
    tabulated = min(max(0, positions), 4096)
    var cosines = [Float](repeating: 0, count: tabulated * inverse.count)
    var sines = cosines
    for position in 0..<tabulated {
      for (i, angle) in RotaryFrequencies.angles(inverse, position: position).enumerated() {
        cosines[position * inverse.count + i] = Float(cos(angle))
        sines[position * inverse.count + i] = Float(sin(angle))
      }
    }
    self.cosines = cosines
    self.sines = sines
  }

  /// Rotates every head of `x` [n, heads·headDim] in place; row r is at position `offset + r`.
  func rotate(_ x: inout Tensor, heads: Int, offset: Int) {
    let (n, half, dk) = (x.rows, inverse.count, headDim)
    precondition(x.columns == heads * dk, "rotary: \(x.columns) columns for \(heads) heads of \(dk)")
    var cosines = [Float](repeating: 0, count: half)
    var sines = [Float](repeating: 0, count: half)
    x.scalars.withUnsafeMutableBufferPointer { buffer in
      for r in 0..<n {
        // θ in Double, as the float64 reference computes it, then the rotation in Float32.
        let position = offset + r
        if position < tabulated {
          for i in 0..<half {
            cosines[i] = self.cosines[position * half + i]
            sines[i] = self.sines[position * half + i]
          }
        } else {
          for (i, angle) in RotaryFrequencies.angles(inverse, position: position).enumerated() {
            cosines[i] = Float(cos(angle))
            sines[i] = Float(sin(angle))
          }
        }
        for h in 0..<heads {
          let head = buffer.baseAddress! + r * heads * dk + h * dk
          for i in 0..<half {
            let (first, second) = (head[i], head[i + half])
            head[i] = first * cosines[i] - second * sines[i]
            head[i + half] = second * cosines[i] + first * sines[i]
          }
        }
      }
    }
  }
}
