// Multi-head attention for training (Vaswani et al. 2017 §3.2) with grouped-query heads
// (Ainslie et al. 2023): query head h reads key/value head h / (H / H_kv), so the gradients of a
// shared K/V head are summed over its query group. Backward follows llm.c `attention_backward`:
// dA = dO Vᵀ, dS = softmax′, dQ = dS K/√dk, dK = dSᵀ Q/√dk, dV = Aᵀ dO.
// Sequences are packed row after row; each example attends only within its own segment.
import Tensors
import Transformer

/// Where each example's rows sit in a packed [Σn, d] matrix.
struct Segments: Equatable {
  var starts: [Int] = []
  var lengths: [Int] = []
  var rows: Int = 0

  init(lengths: [Int]) {
    self.lengths = lengths
    for length in lengths {
      starts.append(rows)
      rows += length
    }
  }
}

enum SoftmaxBackward {
  /// In place over `gradient` ([rows, columns], dA on entry): dS = A ⊙ (dA − Σ_k A_k dA_k) per row.
  /// Masked entries have A = 0, so their dS is 0 too.
  static func rows(
    probabilities: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, rows: Int, columns: Int
  ) {
    for r in 0..<rows {
      let (a, g) = (probabilities + r * columns, gradient + r * columns)
      var dot: Float = 0
      for c in 0..<columns { dot += a[c] * g[c] }
      for c in 0..<columns { g[c] = a[c] * (g[c] - dot) }
    }
  }
}

struct AttentionPass {
  let query: LinearPass  // [H·dk, d]
  let key: LinearPass  // [Hkv·dk, d]
  let value: LinearPass  // [Hkv·dk, d]
  let output: LinearPass  // [d, H·dk]
  let heads: Int
  let kvHeads: Int
  let headDim: Int
  /// Run the per-head kernels as plain loops (`forwardHeadNaive`/`backwardHeadNaive`): the slow,
  /// obviously-correct reference the BLAS path is tested against.
  var reference = false

  init(_ parameters: ParameterStore, _ name: String, config: ModelConfig) {
    query = LinearPass(parameters, "\(name).q_proj")
    key = LinearPass(parameters, "\(name).k_proj")
    value = LinearPass(parameters, "\(name).v_proj")
    output = LinearPass(parameters, "\(name).o_proj")
    (heads, kvHeads, headDim) = (config.numHeads, config.numKVHeads, config.headDim)
  }

  struct Cache {
    var input: Tensor  // [Nq, d]
    var source: Tensor  // [Nk, d]; the same storage as input for self-attention
    var isSelf: Bool
    var querySegments: Segments
    var keySegments: Segments
    var q: Tensor  // [Nq, H·dk]
    var k: Tensor  // [Nk, Hkv·dk]
    var v: Tensor  // [Nk, Hkv·dk]
    var probabilities: [Float]  // [n_q, n_k] per slice (example, head)
    var slices: [HeadSlice]
    var context: Tensor  // [Nq, H·dk], the heads side by side
  }

  var scale: Float { 1 / Float(headDim).squareRoot() }

  /// One example's rows and one head's columns inside the packed q/k/v/context matrices.
  struct HeadSlice {
    var queries: Int  // n_q
    var keys: Int  // n_k
    var queryOffset: Int  // first element of Q_h (and of the context's head h)
    var keyValueOffset: Int  // first element of K_g and V_g, g = h / group
    var probabilityOffset: Int  // first element of this head's [n_q, n_k] probabilities
  }

  /// Every (example, head) pair with its offsets, and the total size of the probability store.
  func slices(_ querySegments: Segments, _ keySegments: Segments) -> ([HeadSlice], Int) {
    let (group, qWidth, kvWidth) = (heads / kvHeads, heads * headDim, kvHeads * headDim)
    var slices: [HeadSlice] = []
    var total = 0
    for e in querySegments.lengths.indices {
      let (nq, nk) = (querySegments.lengths[e], keySegments.lengths[e])
      for h in 0..<heads where nq > 0 && nk > 0 {
        slices.append(
          HeadSlice(
            queries: nq, keys: nk, queryOffset: querySegments.starts[e] * qWidth + h * headDim,
            keyValueOffset: keySegments.starts[e] * kvWidth + (h / group) * headDim, probabilityOffset: total)
        )
        total += nq * nk
      }
    }
    return (slices, total)
  }

  /// x [Nq, d] attends over source [Nk, d] (`source` nil: self-attention), example by example;
  /// causal: query i sees keys 0…i. → [Nq, d].
  func forward(
    _ x: Tensor, _ querySegments: Segments, over source: Tensor? = nil, _ keySegments: Segments? = nil,
    causal: Bool
  ) -> (Tensor, Cache) {
    let (src, keySegments) = (source ?? x, keySegments ?? querySegments)
    precondition(
      querySegments.lengths.count == keySegments.lengths.count, "one key segment per query segment")
    let q = query.forward(x)  // [Nq, H·dk]
    let (k, v) = (key.forward(src), value.forward(src))  // [Nk, Hkv·dk] each
    let (slices, total) = slices(querySegments, keySegments)
    var probabilities = [Float](repeating: 0, count: total)  // per slice [n_q, n_k]
    var context = Tensor(zeros: [x.rows, heads * headDim])  // [Nq, H·dk]
    let mask: AttentionMask = causal ? .causal(offset: 0) : .none
    let kernel = reference ? forwardHeadNaive : forwardHead
    for slice in slices {
      kernel(slice, q.scalars, k.scalars, v.scalars, mask, &probabilities, &context.scalars)
    }
    let cache = Cache(
      input: x, source: src, isSelf: source == nil, querySegments: querySegments, keySegments: keySegments,
      q: q, k: k, v: v, probabilities: probabilities, slices: slices, context: context)
    return (output.forward(context), cache)  // [Nq, H·dk] → [Nq, d]
  }

  /// A = softmax(Q_h K_gᵀ/√dk, mask) and context_h = A V_g for one slice.
  func forwardHead(
    _ s: HeadSlice, _ q: UnsafePointer<Float>, _ k: UnsafePointer<Float>, _ v: UnsafePointer<Float>,
    _ mask: AttentionMask, _ probabilities: UnsafeMutablePointer<Float>,
    _ context: UnsafeMutablePointer<Float>
  ) {
    let (dk, qWidth, kvWidth) = (headDim, heads * headDim, kvHeads * headDim)
    let a = probabilities + s.probabilityOffset
    // S = Q_h K_gᵀ/√dk: [n_q, dk] · [dk, n_k] → [n_q, n_k]
    Gemm.multiply(
      MatrixView(q + s.queryOffset, rows: s.queries, columns: dk, stride: qWidth),
      MatrixView(k + s.keyValueOffset, rows: s.keys, columns: dk, stride: kvWidth, transposed: true),
      into: a, alpha: scale)
    Softmax.rows(a, rows: s.queries, columns: s.keys, mask: mask)
    // O_h = A V_g: [n_q, n_k] · [n_k, dk] → [n_q, dk], columns h·dk… of the context rows
    Gemm.multiply(
      MatrixView(a, rows: s.queries, columns: s.keys),
      MatrixView(v + s.keyValueOffset, rows: s.keys, columns: dk, stride: kvWidth),
      into: context + s.queryOffset, cStride: qWidth)
  }

  /// dy [Nq, d] → dx [Nq, d] and, for cross-attention, dSource [Nk, d] (self-attention folds the
  /// key/value path into dx and returns nil).
  func backward(_ dy: Tensor, _ cache: Cache, _ gradients: GradientBuffer) -> (dx: Tensor, dSource: Tensor?) {
    let dContext = output.backward(dy, input: cache.context, gradients)  // [Nq, H·dk]
    var dq = Tensor(zeros: cache.q.shape)  // [Nq, H·dk]
    var dk = Tensor(zeros: cache.k.shape)  // [Nk, Hkv·dk]
    var dv = Tensor(zeros: cache.v.shape)  // [Nk, Hkv·dk]
    let largest = cache.slices.map { $0.queries * $0.keys }.max() ?? 0
    var scratch = [Float](repeating: 0, count: max(largest, 1))  // one slice's dA, then dS
    let kernel = reference ? backwardHeadNaive : backwardHead
    for slice in cache.slices {
      kernel(
        slice, cache.probabilities, cache.q.scalars, cache.k.scalars, cache.v.scalars, dContext.scalars,
        &scratch, &dq.scalars, &dk.scalars, &dv.scalars)
    }
    var dx = query.backward(dq, input: cache.input, gradients)  // [Nq, d]
    if cache.isSelf {
      key.backward(dk, input: cache.source, gradients, addingTo: &dx)
      value.backward(dv, input: cache.source, gradients, addingTo: &dx)
      return (dx, nil)
    }
    var dSource = key.backward(dk, input: cache.source, gradients)  // [Nk, d]
    value.backward(dv, input: cache.source, gradients, addingTo: &dSource)
    return (dx, dSource)
  }

  /// One slice: dA = dO_h V_gᵀ, dV_g += Aᵀ dO_h, dS = softmax′(dA), dQ_h = dS K_g/√dk,
  /// dK_g += dSᵀ Q_h/√dk. K/V gradients accumulate, so the heads of a group sum into their shared head.
  func backwardHead(
    _ s: HeadSlice, _ probabilities: UnsafePointer<Float>, _ q: UnsafePointer<Float>,
    _ k: UnsafePointer<Float>,
    _ v: UnsafePointer<Float>, _ dContext: UnsafePointer<Float>, _ ds: UnsafeMutablePointer<Float>,
    _ dq: UnsafeMutablePointer<Float>, _ dk: UnsafeMutablePointer<Float>, _ dv: UnsafeMutablePointer<Float>
  ) {
    let (width, qWidth, kvWidth, nq, nk) = (headDim, heads * headDim, kvHeads * headDim, s.queries, s.keys)
    let a = probabilities + s.probabilityOffset
    let dO = MatrixView(dContext + s.queryOffset, rows: nq, columns: width, stride: qWidth)
    // dA = dO_h V_gᵀ: [n_q, dk] · [dk, n_k] → [n_q, n_k]
    Gemm.multiply(
      dO, MatrixView(v + s.keyValueOffset, rows: nk, columns: width, stride: kvWidth, transposed: true),
      into: ds)
    // dV_g += Aᵀ dO_h: [n_k, n_q] · [n_q, dk] → [n_k, dk]
    Gemm.multiply(
      MatrixView(a, rows: nq, columns: nk, transposed: true), dO, into: dv + s.keyValueOffset,
      cStride: kvWidth, beta: 1)
    SoftmaxBackward.rows(probabilities: a, gradient: ds, rows: nq, columns: nk)
    // dQ_h = dS K_g/√dk: [n_q, n_k] · [n_k, dk] → [n_q, dk]
    Gemm.multiply(
      MatrixView(ds, rows: nq, columns: nk),
      MatrixView(k + s.keyValueOffset, rows: nk, columns: width, stride: kvWidth),
      into: dq + s.queryOffset, cStride: qWidth, alpha: scale)
    // dK_g += dSᵀ Q_h/√dk: [n_k, n_q] · [n_q, dk] → [n_k, dk]
    Gemm.multiply(
      MatrixView(ds, rows: nq, columns: nk, transposed: true),
      MatrixView(q + s.queryOffset, rows: nq, columns: width, stride: qWidth),
      into: dk + s.keyValueOffset, cStride: kvWidth, alpha: scale, beta: 1)
  }

  /// The reference for `forwardHead`: the same contract as index arithmetic and Double sums.
  func forwardHeadNaive(
    _ s: HeadSlice, _ q: UnsafePointer<Float>, _ k: UnsafePointer<Float>, _ v: UnsafePointer<Float>,
    _ mask: AttentionMask, _ probabilities: UnsafeMutablePointer<Float>,
    _ context: UnsafeMutablePointer<Float>
  ) {
    let (qWidth, kvWidth, nq, nk) = (heads * headDim, kvHeads * headDim, s.queries, s.keys)
    func qAt(_ i: Int, _ c: Int) -> Double { Double(q[s.queryOffset + i * qWidth + c]) }
    func kAt(_ j: Int, _ c: Int) -> Double { Double(k[s.keyValueOffset + j * kvWidth + c]) }
    func vAt(_ j: Int, _ c: Int) -> Double { Double(v[s.keyValueOffset + j * kvWidth + c]) }
    let a = probabilities + s.probabilityOffset
    for i in 0..<nq {
      for j in 0..<nk {
        a[i * nk + j] = Float((0..<headDim).reduce(0.0) { $0 + qAt(i, $1) * kAt(j, $1) } * Double(scale))
      }
    }
    Softmax.rows(a, rows: nq, columns: nk, mask: mask)
    for i in 0..<nq {
      for c in 0..<headDim {
        context[s.queryOffset + i * qWidth + c] = Float(
          (0..<nk).reduce(0.0) { $0 + Double(a[i * nk + $1]) * vAt($1, c) })
      }
    }
  }

  /// The reference for `backwardHead`, element by element.
  func backwardHeadNaive(
    _ s: HeadSlice, _ probabilities: UnsafePointer<Float>, _ q: UnsafePointer<Float>,
    _ k: UnsafePointer<Float>,
    _ v: UnsafePointer<Float>, _ dContext: UnsafePointer<Float>, _ ds: UnsafeMutablePointer<Float>,
    _ dq: UnsafeMutablePointer<Float>, _ dk: UnsafeMutablePointer<Float>, _ dv: UnsafeMutablePointer<Float>
  ) {
    let (qWidth, kvWidth, nq, nk, scale) = (
      heads * headDim, kvHeads * headDim, s.queries, s.keys, Double(scale)
    )
    func at(_ i: Int, _ c: Int) -> Int { s.queryOffset + i * qWidth + c }  // row i of Q_h, dO_h
    func kvAt(_ j: Int, _ c: Int) -> Int { s.keyValueOffset + j * kvWidth + c }  // row j of K_g, V_g
    let a = probabilities + s.probabilityOffset
    for i in 0..<nq {
      var dA = [Double](repeating: 0, count: nk)
      for j in 0..<nk {
        for c in 0..<headDim { dA[j] += Double(dContext[at(i, c)]) * Double(v[kvAt(j, c)]) }
      }
      let dot = (0..<nk).reduce(0.0) { $0 + Double(a[i * nk + $1]) * dA[$1] }
      for j in 0..<nk { ds[i * nk + j] = Float(Double(a[i * nk + j]) * (dA[j] - dot)) }
    }
    for j in 0..<nk {
      for c in 0..<headDim {
        var (dKey, dValue) = (0.0, 0.0)
        for i in 0..<nq {
          dKey += Double(ds[i * nk + j]) * Double(q[at(i, c)]) * scale
          dValue += Double(a[i * nk + j]) * Double(dContext[at(i, c)])
        }
        dk[kvAt(j, c)] += Float(dKey)
        dv[kvAt(j, c)] += Float(dValue)
      }
    }
    for i in 0..<nq {
      for c in 0..<headDim {
        dq[at(i, c)] = Float(
          (0..<nk).reduce(0.0) { $0 + Double(ds[i * nk + $1]) * Double(k[kvAt($1, c)]) } * scale)
      }
    }
  }
}
