import Dispatch
// Multi-head scaled dot-product attention, softmax(QKᵀ/√d_k)·V (Vaswani et al. 2017, §3.2), with
// grouped-query attention: query head h reads key/value head h / (H / H_kv) (Ainslie et al. 2023),
// and the LLM options: per-head q/k RMSNorm, rotary positions, a custom scale and soft-capping.
import Foundation
import Tensors
import Trace

/// Where an attention call sits and which tokens it relates: enough to tag its trace entry.
public struct AttentionSite: Sendable {
  public var stack: AttentionStack
  public var kind: AttentionKind
  public var layer: Int
  public var queryLabels: [String]
  public var keyLabels: [String]
}

public struct MultiHeadAttention: Sendable {
  public let query: Linear  // [H·dk, d]
  public let key: Linear  // [Hkv·dk, d]
  public let value: Linear  // [Hkv·dk, d]
  public let output: Linear  // [d, H·dk]
  public let heads: Int
  public let kvHeads: Int
  public let headDim: Int
  /// Per-head norms of queries and keys before the rotation (Qwen 3, Gemma 3).
  let queryNorm: Norm?
  let keyNorm: Norm?
  /// Self-attention of a rotary model only.
  let rotary: RotaryPositions?
  /// Multiplies q·k; 1/√dk unless the config says otherwise.
  public let scale: Float
  let softcap: Float?
  /// Heads whose output is zeroed before the output projection (HeadAblation.swift); empty for the
  /// model as trained. Set through `TransformerModel.ablating`.
  public internal(set) var silencedHeads: [Int] = []

  /// `rotary`: the layer's rotation (its stack builds one per distinct set of frequencies: Gemma 3's
  /// local and global layers differ); nil for cross-attention and models without rotary positions.
  init(_ parameters: ParameterStore, _ name: String, config: ModelConfig, rotary: RotaryPositions? = nil) {
    query = Linear(parameters, "\(name).q_proj")
    key = Linear(parameters, "\(name).k_proj")
    value = Linear(parameters, "\(name).v_proj")
    output = Linear(parameters, "\(name).o_proj")
    heads = config.numHeads
    kvHeads = config.numKVHeads
    headDim = config.headDim
    let options = config.languageModel
    let hasNorms = options?.queryKeyNorm == true
    queryNorm = hasNorms ? Norm(parameters, "\(name).q_norm", config: config) : nil
    keyNorm = hasNorms ? Norm(parameters, "\(name).k_norm", config: config) : nil
    self.rotary = rotary
    scale = options?.attentionScale ?? 1 / Float(config.headDim).squareRoot()
    softcap = options?.attentionSoftcap
  }

  /// `x` [n_q, d] attends over `source` [n_k, d]; returns [n_q, d] and hands the probabilities and
  /// scaled scores of every head to `recorder`. Rotary models rotate queries and keys by their
  /// positions, which start at `positionOffset` for both (self-attention).
  public func callAsFunction(
    _ x: Tensor, over source: Tensor, mask: AttentionMask, site: AttentionSite,
    recorder: AttentionRecorder?, positionOffset: Int = 0
  ) -> Tensor {
    // [n_q, H·dk] queries over [n_k, Hkv·dk] keys and values
    attend(
      queries(x, positionOffset: positionOffset), keys: keys(source, positionOffset: positionOffset),
      values: value(source), mask: mask, site: site, recorder: recorder)
  }

  /// Projected queries [n, H·dk], normed and rotated where the model does.
  public func queries(_ x: Tensor, positionOffset: Int) -> Tensor {
    prepared(query(x), heads: heads, norm: queryNorm, offset: positionOffset)
  }

  /// Projected keys [n, Hkv·dk], normed and rotated where the model does (what a KV cache holds).
  public func keys(_ source: Tensor, positionOffset: Int) -> Tensor {
    prepared(key(source), heads: kvHeads, norm: keyNorm, offset: positionOffset)
  }

  func prepared(_ projected: Tensor, heads count: Int, norm: Norm?, offset: Int) -> Tensor {
    var result = projected
    if let norm { result = norm(result.reshaped([result.rows * count, headDim])).reshaped(projected.shape) }
    rotary?.rotate(&result, heads: count, offset: offset)
    return result
  }

  /// The attention kernel on projected queries `q` [n_q, H·dk] and keys/values [n_k, Hkv·dk]
  /// (computed here or taken from a KV cache); returns [n_q, d] after the output projection.
  public func attend(
    _ q: Tensor, keys k: Tensor, values v: Tensor, mask: AttentionMask, site: AttentionSite,
    recorder: AttentionRecorder?
  ) -> Tensor {
    // Nothing recorded and a long input: never hold every head's n_q × n_k scores at once.
    guard recorder != nil || heads * q.rows * k.rows < Self.streamingCells else {
      var context = streamedContext(q, keys: k, values: v, mask: mask)
      silence(&context)
      return output(context)
    }
    let (context, probabilities, scores) = attendedContext(q, keys: k, values: v, mask: mask)
    if let recorder {
      var entry = AttentionEntry(
        stack: site.stack, kind: site.kind, layer: site.layer, heads: heads,
        queries: site.queryLabels, keys: site.keyLabels, weights: probabilities, scores: scores,
        vectors: recorder.recordsVectors ? headVectors(q, k, v, context: context) : nil)
      entry.keyValueHeads = groupedKeyValueHeads
      recorder.record(entry)
    }
    return output(context)  // [n_q, H·dk] → [n_q, d]
  }

  /// What a trace entry records of the grouping: nil when every query head has its own K/V.
  var groupedKeyValueHeads: Int? { kvHeads == heads ? nil : kvHeads }

  /// The heads' outputs before the output projection, [n_q, H·dk], with the probabilities and the
  /// scaled scores as recorded ([H, n_q, n_k] each; masked scores −∞).
  func attendedContext(_ q: Tensor, keys k: Tensor, values v: Tensor, mask: AttentionMask)
    -> (context: Tensor, probabilities: [Float], scores: [Float])
  {
    var (scores, probabilities, context) = headsAttention(q, k, v, mask: mask)
    silence(&context)
    markMasked(&scores, heads: heads, queries: q.rows, keys: k.rows, mask: mask)
    return (context, probabilities, scores)
  }

  /// Sets the masked entries of flat [heads, n_q, n_k] scores to −∞ (what a trace records).
  func markMasked(_ scores: inout [Float], heads: Int, queries nq: Int, keys nk: Int, mask: AttentionMask) {
    guard mask != .none else { return }
    scores.withUnsafeMutableBufferPointer { buffer in
      for i in 0..<nq {
        // One visible run per row (causal, a window): mark the two sides without a test per entry.
        let run = mask.visibleRange(query: i, keyCount: nk)
        for h in 0..<heads {
          let row = buffer.baseAddress! + (h * nq + i) * nk
          if let run {
            for j in 0..<run.lowerBound { row[j] = -.infinity }
            for j in run.upperBound..<nk { row[j] = -.infinity }
          } else {
            for j in 0..<nk where !mask.isVisible(query: i, key: j, keyCount: nk) { row[j] = -.infinity }
          }
        }
      }
    }
  }

  /// Zeroes the silenced heads' columns of the context [n_q, H·dk]: what the output projection
  /// then reads is as if those heads had output nothing, at every position.
  func silence(_ context: inout Tensor) {
    guard !silencedHeads.isEmpty else { return }
    let (dk, width, rows, silenced) = (headDim, heads * headDim, context.rows, silencedHeads)
    context.scalars.withUnsafeMutableBufferPointer { buffer in
      for row in 0..<rows {
        for h in silenced {
          buffer.baseAddress!.advanced(by: row * width + h * dk).update(repeating: 0, count: dk)
        }
      }
    }
  }

  /// For every head h: S_h = Q_h K_hᵀ / √dk, A_h = softmax(S_h) (masked), O_h = A_h V_h. Returns S
  /// and A as flat [H, n_q, n_k] and the heads' outputs side by side, [n_q, H·dk]. Long inputs
  /// split the heads over the cores with OpenBLAS single-threaded inside, as PyTorch's batched
  /// matmul does: a dozen small per-head GEMMs each waking OpenBLAS's pool cost more than they gain.
  func headsAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, mask: AttentionMask)
    -> (scores: [Float], probabilities: [Float], context: Tensor)
  {
    let (nq, nk, dk) = (q.rows, k.rows, headDim)
    MemoryHeadroom.require(
      2 * heads * nq * nk * MemoryLayout<Float>.size,
      for: "the attention of \(heads) heads over \(nq) × \(nk) tokens")
    var scores = [Float](repeating: 0, count: heads * nq * nk)
    var probabilities = [Float](repeating: 0, count: heads * nq * nk)
    var context = Tensor(zeros: [nq, heads * dk])
    guard nq > 0, nk > 0 else { return (scores, probabilities, context) }
    let parts = heads * nq * nk >= 1 << 17 ? min(heads, Softmax.threads) : 1
    q.scalars.withUnsafeBufferPointer { qBuffer in
      k.scalars.withUnsafeBufferPointer { kBuffer in
        v.scalars.withUnsafeBufferPointer { vBuffer in
          scores.withUnsafeMutableBufferPointer { sBuffer in
            probabilities.withUnsafeMutableBufferPointer { pBuffer in
              context.scalars.withUnsafeMutableBufferPointer { cBuffer in
                // Plain integers cross into the worker closures (pointers are not Sendable).
                let addresses =
                  [qBuffer, kBuffer, vBuffer].map { Int(bitPattern: $0.baseAddress!) }
                  + [sBuffer, pBuffer, cBuffer].map { Int(bitPattern: $0.baseAddress!) }
                let head = { @Sendable (h: Int) in
                  let pointer = { (index: Int) in UnsafeMutablePointer<Float>(bitPattern: addresses[index])! }
                  let block = h * nq * nk
                  attendHead(
                    h, rows: 0..<nq, q: pointer(0), k: pointer(1), v: pointer(2), keyCount: nk,
                    scores: pointer(3) + block, probabilities: pointer(4) + block, context: pointer(5),
                    mask: mask)
                }
                if parts == 1 {
                  for h in 0..<heads { head(h) }
                } else {
                  BLASThreads.singleThreaded {
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                      for h in (part * heads / parts)..<((part + 1) * heads / parts) { head(h) }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return (scores, probabilities, context)
  }

  /// Above this many score cells (heads × n_q × n_k, 64 MB of floats) an unrecorded call works
  /// through `streamedContext` instead of holding every head's scores and probabilities.
  static let streamingCells = 1 << 24

  /// The heads' outputs [n_q, H·dk] computed a block of query rows of one head at a time, with
  /// scratch for `rowBlock` rows × n_k per worker: what a long input's forward pass needs when its
  /// attention is not recorded (a 0.5 B LLM at 4,096 tokens would otherwise hold 1.9 GB of scores).
  /// The same `attendHead` on the same rows, so the same numbers as `attendedContext`.
  func streamedContext(
    _ q: Tensor, keys k: Tensor, values v: Tensor, mask: AttentionMask, rowBlock: Int? = nil
  )
    -> Tensor
  {
    let (nq, nk) = (q.rows, k.rows)
    var context = Tensor(zeros: [nq, heads * headDim])
    guard nq > 0, nk > 0 else { return context }
    let block = max(1, min(nq, rowBlock ?? (1 << 20) / nk))
    let parts = min(heads, Softmax.threads)
    MemoryHeadroom.require(
      parts * 2 * block * nk * MemoryLayout<Float>.size, for: "the attention scratch of \(nk) keys")
    q.scalars.withUnsafeBufferPointer { qBuffer in
      k.scalars.withUnsafeBufferPointer { kBuffer in
        v.scalars.withUnsafeBufferPointer { vBuffer in
          context.scalars.withUnsafeMutableBufferPointer { cBuffer in
            // Plain integers cross into the worker closures (pointers are not Sendable).
            let addresses =
              [qBuffer, kBuffer, vBuffer].map { Int(bitPattern: $0.baseAddress!) }
              + [Int(bitPattern: cBuffer.baseAddress!)]
            let work = { @Sendable (part: Int) in
              let pointer = { (index: Int) in UnsafeMutablePointer<Float>(bitPattern: addresses[index])! }
              let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * block * nk)
              defer { scratch.deallocate() }
              for h in (part * heads / parts)..<((part + 1) * heads / parts) {
                for start in stride(from: 0, to: nq, by: block) {
                  attendHead(
                    h, rows: start..<min(nq, start + block), q: pointer(0), k: pointer(1), v: pointer(2),
                    keyCount: nk, scores: scratch, probabilities: scratch + block * nk, context: pointer(3),
                    mask: mask)
                }
              }
            }
            if parts == 1 {
              work(0)
            } else {
              BLASThreads.singleThreaded { DispatchQueue.concurrentPerform(iterations: parts, execute: work) }
            }
          }
        }
      }
    }
    return context
  }

  /// One head's scaled scores (masked entries −∞, as recorded) and probabilities, [n_q, n_k] each:
  /// a trace's entry for one head, computed without the other heads.
  public func headAttention(_ q: Tensor, keys k: Tensor, mask: AttentionMask, head h: Int)
    -> (scores: [Float], probabilities: [Float])
  {
    let (nq, nk) = (q.rows, k.rows)
    MemoryHeadroom.require(
      2 * nq * nk * MemoryLayout<Float>.size, for: "the attention of one head over \(nq) × \(nk) tokens")
    var scores = [Float](repeating: 0, count: nq * nk)
    var probabilities = [Float](repeating: 0, count: nq * nk)
    guard nq > 0, nk > 0 else { return (scores, probabilities) }
    q.scalars.withUnsafeBufferPointer { qBuffer in
      k.scalars.withUnsafeBufferPointer { kBuffer in
        scores.withUnsafeMutableBufferPointer { sBuffer in
          probabilities.withUnsafeMutableBufferPointer { pBuffer in
            attendHead(
              h, rows: 0..<nq, q: qBuffer.baseAddress!, k: kBuffer.baseAddress!, v: nil, keyCount: nk,
              scores: sBuffer.baseAddress!, probabilities: pBuffer.baseAddress!, context: nil, mask: mask)
          }
        }
      }
    }
    markMasked(&scores, heads: 1, queries: nq, keys: nk, mask: mask)
    return (scores, probabilities)
  }

  /// Head h over query rows `rows` (all of them, or a block of a long input): S = Q_h K_hᵀ·scale,
  /// soft-capped, into `scores`; A = softmax(S) under the mask into `probabilities` (both
  /// [rows.count, n_k], from the block's first row); and, given `context` ([n_q, H·dk]), A·V_h into
  /// head h's columns of those rows. `q` is [n_q, H·dk], `k` and `v` [n_k, Hkv·dk]. The one
  /// computation of a head, whether every head is recorded, one is, or none is (the long-input pass).
  func attendHead(
    _ h: Int, rows: Range<Int>, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>?,
    keyCount nk: Int, scores sp: UnsafeMutablePointer<Float>, probabilities pp: UnsafeMutablePointer<Float>,
    context cp: UnsafeMutablePointer<Float>?, mask: AttentionMask
  ) {
    let (dk, group, count) = (headDim, heads / kvHeads, rows.count * nk)
    // [rows, dk] · [dk, n_k] → [rows, n_k], scaled by 1/√dk
    Gemm.multiply(
      MatrixView(
        q + rows.lowerBound * heads * dk + h * dk, rows: rows.count, columns: dk, stride: heads * dk),
      MatrixView(k + (h / group) * dk, rows: nk, columns: dk, stride: kvHeads * dk, transposed: true),
      into: sp, alpha: scale)
    if let softcap {
      for index in 0..<count { sp[index] = softcap * tanhf(sp[index] / softcap) }
    }
    pp.update(from: sp, count: count)
    // The mask reads absolute query numbers: point the softmax at where row 0 would be.
    Softmax.rows(pp - rows.lowerBound * nk, range: rows, columns: nk, mask: mask)
    guard let cp, let v else { return }
    // [rows, n_k] · [n_k, dk] → columns h·dk ..< (h+1)·dk of those rows of the context
    Gemm.multiply(
      MatrixView(pp, rows: rows.count, columns: nk),
      MatrixView(v + (h / group) * dk, rows: nk, columns: dk, stride: kvHeads * dk),
      into: cp + rows.lowerBound * heads * dk + h * dk, cStride: heads * dk)
  }

  /// Every head's q, k, v and output as [H, n, dk] blocks (heads are column blocks of the
  /// projections; a grouped key/value head is copied for each query head that reads it).
  func headVectors(_ q: Tensor, _ k: Tensor, _ v: Tensor, context: Tensor) -> HeadVectors {
    let (dk, group) = (headDim, heads / kvHeads)
    func split(_ t: Tensor, headsInTensor: Int, head: (Int) -> Int) -> [Float] {
      var flat: [Float] = []
      flat.reserveCapacity(heads * t.rows * dk)
      for h in 0..<heads {
        for row in 0..<t.rows {
          let start = row * headsInTensor * dk + head(h) * dk
          flat.append(contentsOf: t.scalars[start..<(start + dk)])
        }
      }
      return flat
    }
    return HeadVectors(
      headDim: dk, queries: split(q, headsInTensor: heads) { $0 },
      keys: split(k, headsInTensor: kvHeads) { $0 / group },
      values: split(v, headsInTensor: kvHeads) { $0 / group },
      outputs: split(context, headsInTensor: heads) { $0 })
  }
}
