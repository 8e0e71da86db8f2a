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
    let scores = scaledScores(q, k)  // [H, n_q, n_k]
    var probabilities = scores
    let (nq, nk) = (q.rows, k.rows)
    probabilities.withUnsafeMutableBufferPointer { p in
      for h in 0..<heads { Softmax.rows(p.baseAddress! + h * nq * nk, rows: nq, columns: nk, mask: mask) }
    }
    if let recorder {
      var visibleScores = scores
      if mask != .none {
        for h in 0..<heads {
          for i in 0..<nq {
            for j in 0..<nk where !mask.isVisible(query: i, key: j, keyCount: nk) {
              visibleScores[(h * nq + i) * nk + j] = -.infinity
            }
          }
        }
      }
      let context = weightedValues(probabilities, v, queries: nq)  // [n_q, H·dk]
      recorder.record(
        AttentionEntry(
          stack: site.stack, kind: site.kind, layer: site.layer, heads: heads,
          queries: site.queryLabels, keys: site.keyLabels, weights: probabilities,
          scores: visibleScores,
          vectors: recorder.recordsVectors ? headVectors(q, k, v, context: context) : nil))
      return output(context)  // [n_q, H·dk] → [n_q, d]
    }
    return output(weightedValues(probabilities, v, queries: nq))  // [n_q, H·dk] → [n_q, d]
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

  /// Q_h K_hᵀ / √dk for every head, flat [H, n_q, n_k]; heads are column blocks of q and k.
  func scaledScores(_ q: Tensor, _ k: Tensor) -> [Float] {
    let (nq, nk, dk, group) = (q.rows, k.rows, headDim, heads / kvHeads)
    var scores = [Float](repeating: 0, count: heads * nq * nk)
    guard nq > 0, nk > 0 else { return scores }
    q.scalars.withUnsafeBufferPointer { qBuffer in
      k.scalars.withUnsafeBufferPointer { kBuffer in
        scores.withUnsafeMutableBufferPointer { sBuffer in
          for h in 0..<heads {
            // [n_q, dk] · [dk, n_k] → [n_q, n_k]
            Gemm.multiply(
              MatrixView(qBuffer.baseAddress! + h * dk, rows: nq, columns: dk, stride: heads * dk),
              MatrixView(
                kBuffer.baseAddress! + (h / group) * dk, rows: nk, columns: dk,
                stride: kvHeads * dk, transposed: true),
              into: sBuffer.baseAddress! + h * nq * nk, alpha: 1 / Float(dk).squareRoot())
          }
        }
      }
    }
    return scores
  }

  /// A_h V_h for every head, written side by side: [n_q, H·dk], ready for the output projection.
  func weightedValues(_ probabilities: [Float], _ v: Tensor, queries nq: Int) -> Tensor {
    let (nk, dk, group) = (v.rows, headDim, heads / kvHeads)
    var context = Tensor(zeros: [nq, heads * dk])
    guard nq > 0, nk > 0 else { return context }
    probabilities.withUnsafeBufferPointer { pBuffer in
      v.scalars.withUnsafeBufferPointer { vBuffer in
        context.scalars.withUnsafeMutableBufferPointer { cBuffer in
          for h in 0..<heads {
            // [n_q, n_k] · [n_k, dk] → columns h·dk ..< (h+1)·dk of the context
            Gemm.multiply(
              MatrixView(pBuffer.baseAddress! + h * nq * nk, rows: nq, columns: nk),
              MatrixView(
                vBuffer.baseAddress! + (h / group) * dk, rows: nk, columns: dk, stride: kvHeads * dk),
              into: cBuffer.baseAddress! + h * dk, cStride: heads * dk)
          }
        }
      }
    }
    return context
  }
}
