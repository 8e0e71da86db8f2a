// Incremental decoding with the KV cache: each step embeds only the new token(s) at their absolute
// positions, attends over the cached prefix with a causal mask offset by the cached length, and
// returns the logits of the new positions (the "past_key_values" loop of GPT-2 / Hugging Face).
import Tensors
import Trace

extension TransformerModel {
  /// Runs the encoder once and projects its output to every decoder layer's cross-attention keys and
  /// values. Records the encoder's self-attention if `recorder` is given.
  public func encodeForDecoding(
    encoderIDs: [Int], labels: [String]? = nil, recorder: AttentionRecorder? = nil
  ) throws(ModelError) -> CrossKVCache {
    guard let encoder, let decoder else {
      throw ModelError("incremental decoding with a source needs an encoder-decoder model")
    }
    let ids = try checked(encoderIDs, stack: "encoder", vocabulary: config.encoderVocabSize)
    let labels = labels ?? ids.map(String.init)
    let memory = encoder(ids, labels: labels, memory: nil, recorder: recorder)  // [n_src, d]
    let projections = decoder.layers.map { layer in
      layer.crossAttention.map { ($0.attention.key(memory), $0.attention.value(memory)) }
        ?? (Tensor(zeros: [0, 0]), Tensor(zeros: [0, 0]))
    }
    return CrossKVCache(
      keys: projections.map(\.0), values: projections.map(\.1), memory: memory, labels: labels)
  }

  /// An empty cache for this model's decoder.
  public func makeDecoderCache() -> DecoderCache {
    DecoderCache(layers: config.decoderLayers, width: config.numKVHeads * config.headDim)
  }

  /// Feeds `tokens` after the cached prefix and returns their logits [tokens.count, V]. Records, per
  /// layer, the new positions' masked self-attention (keys: the whole prefix) and cross-attention.
  public func decodeStep(
    tokens: [Int], labels: [String]? = nil, cache: inout DecoderCache, encoderMemory: CrossKVCache?,
    recorder: AttentionRecorder? = nil
  ) throws(ModelError) -> Tensor {
    guard let decoder else { throw ModelError("this model has no decoder") }
    guard (encoder == nil) == (encoderMemory == nil) else {
      throw ModelError("an encoder-decoder model decodes with its encoder memory, a decoder-only one without")
    }
    let ids = try checked(tokens, stack: "decoder", vocabulary: config.decoderVocabSize)
    let offset = cache.length
    guard offset + ids.count <= config.maxPositions else {
      throw ModelError(
        "decoder input would have \(offset + ids.count) tokens, more than max_positions \(config.maxPositions)"
      )
    }
    let newLabels = labels ?? ids.map(String.init)
    cache.labels += newLabels
    var x = decoder.embed(ids, positionOffset: offset)  // [m, d]
    for (index, layer) in decoder.layers.enumerated() {
      let sites = LayerSites(
        selfAttention: AttentionSite(
          stack: .decoder, kind: .masked, layer: index, queryLabels: newLabels, keyLabels: cache.labels),
        crossAttention: encoderMemory.map {
          AttentionSite(
            stack: .decoder, kind: .cross, layer: index, queryLabels: newLabels, keyLabels: $0.labels)
        })
      let cross = encoderMemory.map { ($0.keys[index], $0.values[index]) }
      x = layer.step(
        x, offset: offset, cache: &cache.layers[index], cross: cross, sites: sites, recorder: recorder)
    }
    return logits(decoder.finalNorm.map { $0(x) } ?? x)  // [m, d] → [m, V]
  }

  /// Convenience for one token: the logits row of the new position, [V].
  public func decodeStep(
    token: Int, label: String? = nil, cache: inout DecoderCache, encoderMemory: CrossKVCache?,
    recorder: AttentionRecorder? = nil
  ) throws(ModelError) -> [Float] {
    try decodeStep(
      tokens: [token], labels: label.map { [$0] }, cache: &cache, encoderMemory: encoderMemory,
      recorder: recorder
    ).scalars
  }
}

extension TransformerLayer {
  /// x [m, d] (positions offset…offset+m−1) → [m, d], appending this layer's new keys/values to
  /// `cache`; `cross` holds the precomputed cross-attention keys and values.
  func step(
    _ x: Tensor, offset: Int, cache: inout LayerKVCache, cross: (keys: Tensor, values: Tensor)?,
    sites: LayerSites, recorder: AttentionRecorder?
  ) -> Tensor {
    var h = residual(x, selfAttentionNorm, selfAttentionPostNorm) { input in
      let attention = selfAttention
      // Keys are cached rotated (as transformers' cache holds them): a position's rotation never changes.
      cache.append(keys: attention.keys(input, positionOffset: offset), values: attention.value(input))
      return attention.attend(
        attention.queries(input, positionOffset: offset), keys: cache.keys, values: cache.values,
        mask: selfMask(offset), site: sites.selfAttention, recorder: recorder)
    }
    if let (attention, norm) = crossAttention, let cross, let site = sites.crossAttention {
      h = residual(h, norm, nil) {
        attention.attend(
          attention.query($0), keys: cross.keys, values: cross.values, mask: .none, site: site,
          recorder: recorder)
      }
    }
    return residual(h, feedForwardNorm, feedForwardPostNorm) { feedForward($0) }
  }
}
