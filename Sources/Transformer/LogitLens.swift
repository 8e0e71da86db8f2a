// The logit lens (nostalgebraist 2020, "interpreting GPT: the logit lens"): every layer's residual
// stream read through the model's own final norm and output head, as if the model stopped there.
// The last layer's reading is the model's output itself; RMSNorm, LayerNorm and post-norm models
// (no final norm: each layer's output is already normed) all read the way their forward pass does,
// Gemma's final soft-cap included (`logits`).
import Tensors
import Trace

extension TransformerModel {
  /// The residual stream of the stack whose output becomes the logits (the decoder where there is
  /// one): `layers + 1` states [n, d] — 0 the embeddings, i the output of layer i — before the final
  /// norm. Ids as `forward` takes them.
  public func residualStream(encoderIDs: [Int]? = nil, decoderIDs: [Int]? = nil) throws(ModelError)
    -> [Tensor]
  {
    var memory: (output: Tensor, labels: [String])?
    var states: [Tensor] = []
    let keep = { (state: Tensor) in states.append(state) }
    if let encoder {
      let ids = try checked(encoderIDs, stack: "encoder", vocabulary: config.encoderVocabSize)
      let labels = ids.map(String.init)
      memory = (
        encoder(ids, labels: labels, memory: nil, recorder: nil, residuals: decoder == nil ? keep : nil),
        labels
      )
    }
    if let decoder {
      let ids = try checked(decoderIDs, stack: "decoder", vocabulary: config.decoderVocabSize)
      _ = decoder(ids, labels: ids.map(String.init), memory: memory, recorder: nil, residuals: keep)
    }
    return states
  }

  /// One residual state [n, d] read as logits [n, V]: the final norm (if the model has one), then the
  /// output head and its soft-cap.
  public func lensLogits(_ state: Tensor) -> Tensor {
    let stack = decoder ?? encoder
    return logits(stack?.finalNorm.map { $0(state) } ?? state)
  }
}
