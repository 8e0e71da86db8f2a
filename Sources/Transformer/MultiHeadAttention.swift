import Dispatch
// Multi-head scaled dot-product attention, softmax(QKᵀ/√d_k)·V (Vaswani et al. 2017, §3.2), with
// grouped-query attention: query head h reads key/value head h / (H / H_kv) (Ainslie et al. 2023).
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

  public init(_ parameters: ParameterStore, _ name: String, config: ModelConfig) {
    query = Linear(parameters, "\(name).q_proj")
    key = Linear(parameters, "\(name).k_proj")
    value = Linear(parameters, "\(name).v_proj")
    output = Linear(parameters, "\(name).o_proj")
    heads = config.numHeads
    kvHeads = config.numKVHeads
    headDim = config.headDim
  }

  /// `x` [n_q, d] attends over `source` [n_k, d]; returns [n_q, d] and hands the probabilities and
  /// scaled scores of every head to `recorder`.
  public func callAsFunction(
    _ x: Tensor, over source: Tensor, mask: AttentionMask, site: AttentionSite,
    recorder: AttentionRecorder?
  ) -> Tensor {
    // [n_q, H·dk] queries over [n_k, Hkv·dk] keys and values
    attend(query(x), keys: key(source), values: value(source), mask: mask, site: site, recorder: recorder)
  }

  /// The attention kernel on projected queries `q` [n_q, H·dk] and keys/values [n_k, Hkv·dk]
  /// (computed here or taken from a KV cache); returns [n_q, d] after the output projection.
  public func attend(
    _ q: Tensor, keys k: Tensor, values v: Tensor, mask: AttentionMask, site: AttentionSite,
    recorder: AttentionRecorder?
  ) -> Tensor {
    let (scores, probabilities, context) = headsAttention(q, k, v, mask: mask)
    if let recorder {
      var visibleScores = scores
      if mask != .none {
        let (nq, nk) = (q.rows, k.rows)
        for h in 0..<heads {
          for i in 0..<nq {
            for j in 0..<nk where !mask.isVisible(query: i, key: j, keyCount: nk) {
              visibleScores[(h * nq + i) * nk + j] = -.infinity
            }
          }
        }
      }
      recorder.record(
        AttentionEntry(
          stack: site.stack, kind: site.kind, layer: site.layer, heads: heads,
          queries: site.queryLabels, keys: site.keyLabels, weights: probabilities,
          scores: visibleScores,
          vectors: recorder.recordsVectors ? headVectors(q, k, v, context: context) : nil))
    }
    return output(context)  // [n_q, H·dk] → [n_q, d]
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
                    into: sp + block, alpha: 1 / Float(dk).squareRoot())
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
