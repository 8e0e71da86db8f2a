// Issue 17 item 5 (`--only softmax`): at 4,096 tokens the softmax should be at most a quarter of an
// attention layer's time. One Qwen2-0.5B-shaped causal layer (14 query heads over 2 K/V heads,
// head dimension 64) computed head by head as MultiHeadAttention.attendHead does it — S = Q·Kᵀ/√d,
// the causal softmax of S, A·V — with the softmax alone timed on the same rows. The q/k/v/o
// projections are left out, so the share printed is an upper bound on the real layer's.
import Tensors

extension AttnscopeBench {
  static func softmaxShareRows() {
    let (n, heads, kvHeads, dk) = (4096, 14, 2, 64)
    Bench.printHeader(
      "softmax share of an attention layer, \(n) tokens, \(heads) / \(kvHeads) heads × \(dk), causal (bar ≤ 25 %)"
    )
    var random = SeededGenerator(seed: 7)
    let q = (0..<(n * heads * dk)).map { _ in random.nextUniform() - 0.5 }
    let k = (0..<(n * kvHeads * dk)).map { _ in random.nextUniform() - 0.5 }
    let v = (0..<(n * kvHeads * dk)).map { _ in random.nextUniform() - 0.5 }
    let scores = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
    let context = UnsafeMutablePointer<Float>.allocate(capacity: n * heads * dk)
    defer { (scores.deallocate(), context.deallocate()) }
    let mask = AttentionMask.causal(offset: 0)
    let scale = 1 / Float(dk).squareRoot()
    func head(_ h: Int, softmaxOnly: Bool) {
      q.withUnsafeBufferPointer { qp in
        k.withUnsafeBufferPointer { kp in
          v.withUnsafeBufferPointer { vp in
            let group = heads / kvHeads
            if !softmaxOnly {
              Gemm.multiply(
                MatrixView(qp.baseAddress! + h * dk, rows: n, columns: dk, stride: heads * dk),
                MatrixView(
                  kp.baseAddress! + (h / group) * dk, rows: n, columns: dk, stride: kvHeads * dk,
                  transposed: true),
                into: scores, alpha: scale)
            } else {
              for i in 0..<(n * n) { scores[i] = Float(i % 61) * 0.01 }  // fresh rows each time
            }
            Softmax.rows(scores, range: 0..<n, columns: n, mask: mask)
            if !softmaxOnly {
              Gemm.multiply(
                MatrixView(scores, rows: n, columns: n),
                MatrixView(vp.baseAddress! + (h / group) * dk, rows: n, columns: dk, stride: kvHeads * dk),
                into: context + h * dk, cStride: heads * dk)
            }
          }
        }
      }
    }
    // One head of each; the layer is `heads` of them (one thread here, as each head's work is).
    let refill = Bench.row("refilling the 4,096² scores (subtracted below)") {
      for i in 0..<(n * n) { scores[i] = Float(i % 61) * 0.01 }
    }
    let whole = Bench.row("one head: Q·Kᵀ, causal softmax, A·V") { head(0, softmaxOnly: false) }
    let softmax = Bench.row("one head: refill + causal softmax") { head(0, softmaxOnly: true) }
    let alone = max(0, softmax.median - refill.median)
    print(
      "  softmax alone \(fixed(alone * 1e3, 1)) ms of \(fixed(whole.median * 1e3, 1)) ms per head: "
        + "\(fixed(100 * alone / whole.median, 1)) % of the head's time")
  }
}
