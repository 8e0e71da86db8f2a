// One decoding step for several hypotheses at once (beam search's live beams): their new positions
// are stacked into one [B, d] matrix, so every projection, the feed-forward network and the LM head
// run as one GEMM each; self-attention stays per hypothesis, over its own KV cache; cross-attention
// reads the encoder keys/values shared by all. As Hugging Face generate runs its beams as batch rows
// of one forward with `past_key_values`; `decodeStep` (IncrementalDecoding.swift) stays the
// one-at-a-time reference this is tested against.
import Tensors
import Trace

extension TransformerModel {
  /// Feeds `tokens[b]` after `caches[b]`'s prefix, for every b at once, and returns the logits
  /// [B, V]. Caches may hold prefixes of different lengths (each row gets its own position).
  /// `recorders[b]`, if given, receives hypothesis b's masked self- and cross-attention per layer,
  /// exactly as `decodeStep` would record them.
  public func decodeStepBatch(
    tokens: [Int], labels: [String]? = nil, caches: inout [DecoderCache], encoderMemory: CrossKVCache?,
    recorders: [AttentionRecorder]? = nil
  ) throws(ModelError) -> Tensor {
    guard let decoder else { throw ModelError("this model has no decoder") }
    guard (encoder == nil) == (encoderMemory == nil) else {
      throw ModelError("an encoder-decoder model decodes with its encoder memory, a decoder-only one without")
    }
    precondition(caches.count == tokens.count, "\(caches.count) caches for \(tokens.count) tokens")
    precondition(recorders.map { $0.count == tokens.count } ?? true, "one recorder per hypothesis")
    let ids = try checked(tokens, stack: "decoder", vocabulary: config.decoderVocabSize)
    for cache in caches where cache.length + 1 > config.maxPositions {
      throw ModelError(
        "decoder input would have \(cache.length + 1) tokens, more than max_positions \(config.maxPositions)")
    }
    let newLabels = labels ?? ids.map(String.init)
    let d = config.dModel
    var x = Tensor(zeros: [ids.count, d])  // [B, d], row b at position caches[b].length
    for (b, id) in ids.enumerated() {
      caches[b].labels.append(newLabels[b])
      let row = decoder.embed([id], positionOffset: caches[b].length - 1)  // [1, d]
      x.scalars.replaceSubrange((b * d)..<((b + 1) * d), with: row.scalars)
    }
    for (index, layer) in decoder.layers.enumerated() {
      let cross = encoderMemory.map { (keys: $0.keys[index], values: $0.values[index], labels: $0.labels) }
      x = layer.stepBatch(
        x, layer: index, caches: &caches, cross: cross, queryLabels: newLabels, recorders: recorders)
    }
    return logits(decoder.finalNorm.map { $0(x) } ?? x)  // [B, d] → [B, V]
  }
}

extension TransformerLayer {
  /// x [B, d], one new position per hypothesis → [B, d], appending each row's keys/values to its
  /// own cache in `caches[b].layers[layer]`.
  func stepBatch(
    _ x: Tensor, layer: Int, caches: inout [DecoderCache],
    cross: (keys: Tensor, values: Tensor, labels: [String])?, queryLabels: [String],
    recorders: [AttentionRecorder]?
  ) -> Tensor {
    var h = residual(x, selfAttentionNorm, selfAttentionPostNorm) { input in
      let attention = selfAttention
      let (q, k, v) = (attention.query(input), attention.key(input), attention.value(input))  // [B, ·] each
      var context = Tensor(zeros: [input.rows, attention.heads * attention.headDim])  // [B, H·dk]
      for b in 0..<input.rows {
        // Row b is at its own position: its hypothesis's prefix length.
        let position = caches[b].layers[layer].length
        let rowKeys = attention.prepared(
          k.rows(b..<(b + 1)), heads: attention.kvHeads, norm: attention.keyNorm, offset: position)
        let rowQuery = attention.prepared(
          q.rows(b..<(b + 1)), heads: attention.heads, norm: attention.queryNorm, offset: position)
        caches[b].layers[layer].append(keys: rowKeys, values: v.rows(b..<(b + 1)))
        let cache = caches[b].layers[layer]
        // The newest position sees its whole prefix (or its window), [H, 1, n_b].
        let (rowContext, probabilities, scores) = attention.attendedContext(
          rowQuery, keys: cache.keys, values: cache.values, mask: selfMask(position))
        context.scalars.replaceSubrange(
          (b * context.columns)..<((b + 1) * context.columns), with: rowContext.scalars)
        var entry = AttentionEntry(
          stack: .decoder, kind: .masked, layer: layer, heads: attention.heads,
          queries: [queryLabels[b]], keys: caches[b].labels, weights: probabilities, scores: scores)
        entry.keyValueHeads = attention.groupedKeyValueHeads
        recorders?[b].record(entry)
      }
      return attention.output(context)  // [B, H·dk] → [B, d]
    }
    if let (attention, norm) = crossAttention, let cross {
      h = residual(h, norm, nil) { input in
        // Every hypothesis reads the same encoder keys: one [H, B, n_src] score block.
        let (context, probabilities, scores) = attention.attendedContext(
          attention.query(input), keys: cross.keys, values: cross.values, mask: .none)
        if let recorders {
          for b in 0..<input.rows {
            recorders[b].record(
              AttentionEntry(
                stack: .decoder, kind: .cross, layer: layer, heads: attention.heads,
                queries: [queryLabels[b]], keys: cross.labels,
                weights: Self.queryRow(b, of: probabilities, heads: attention.heads, queries: input.rows),
                scores: Self.queryRow(b, of: scores, heads: attention.heads, queries: input.rows)))
          }
        }
        return attention.output(context)  // [B, H·dk] → [B, d]
      }
    }
    return residual(h, feedForwardNorm, feedForwardPostNorm) { feedForward($0) }  // one [B, d] GEMM pair
  }

  /// Query row `row` of every head of a flat [H, n_q, n_k] block: [H, 1, n_k].
  static func queryRow(_ row: Int, of block: [Float], heads: Int, queries: Int) -> [Float] {
    let keys = block.count / max(1, heads * queries)
    var result: [Float] = []
    result.reserveCapacity(heads * keys)
    for head in 0..<heads {
      let start = (head * queries + row) * keys
      result += block[start..<(start + keys)]
    }
    return result
  }
}
