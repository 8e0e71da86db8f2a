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
    if mask != .none {
      let (nq, nk) = (q.rows, k.rows)
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
    return (context, probabilities, scores)
  }

  /// For every head h: S_h = Q_h K_hᵀ / √dk, A_h = softmax(S_h) (masked), O_h = A_h V_h. Returns S
  /// and A as flat [H, n_q, n_k] and the heads' outputs side by side, [n_q, H·dk]. Long inputs
  /// split the heads over the cores with OpenBLAS single-threaded inside, as PyTorch's batched
  /// matmul does: a dozen small per-head GEMMs each waking OpenBLAS's pool cost more than they gain.
  func headsAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, mask: AttentionMask)
    -> (scores: [Float], probabilities: [Float], context: Tensor)
  {
    let (nq, nk, dk, group) = (q.rows, k.rows, headDim, heads / kvHeads)
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
                  let (qp, kp, vp, sp, pp, cp) = (
                    pointer(0), pointer(1), pointer(2), pointer(3), pointer(4), pointer(5)
                  )
                  let block = h * nq * nk
                  // [n_q, dk] · [dk, n_k] → [n_q, n_k], scaled by 1/√dk
                  Gemm.multiply(
                    MatrixView(qp + h * dk, rows: nq, columns: dk, stride: heads * dk),
                    MatrixView(
                      kp + (h / group) * dk, rows: nk, columns: dk, stride: kvHeads * dk, transposed: true),
                    into: sp + block, alpha: scale)
                  if let softcap {
                    for index in block..<(block + nq * nk) {
                      sp[index] = softcap * tanhf(sp[index] / softcap)
                    }
                  }
                  (pp + block).update(from: sp + block, count: nq * nk)
                  Softmax.rows(pp + block, range: 0..<nq, columns: nk, mask: mask)
                  // [n_q, n_k] · [n_k, dk] → columns h·dk ..< (h+1)·dk of the context
                  Gemm.multiply(
                    MatrixView(pp + block, rows: nq, columns: nk),
                    MatrixView(vp + (h / group) * dk, rows: nk, columns: dk, stride: kvHeads * dk),
                    into: cp + h * dk, cStride: heads * dk)
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
