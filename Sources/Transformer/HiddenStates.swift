// The residual stream of a stack at every depth, as transformers' `output_hidden_states` gives it:
// the embeddings, then each layer's output, the last through the stack's final norm where it has one.
import Tensors
import Trace

extension TransformerStack {
  /// [embeddings, layer 1, …, layer L], each [n, d], for a stack without cross-attention (an
  /// encoder, or a decoder-only model's decoder); attention goes to `recorder` as in a forward.
  public func hiddenStates(_ ids: [Int], labels: [String], recorder: AttentionRecorder?) -> [Tensor] {
    var x = embed(ids)  // [n, d]
    var states = [x]
    for (index, layer) in layers.enumerated() {
      let sites = LayerSites(
        selfAttention: AttentionSite(
          stack: role, kind: selfAttentionKind, layer: index, queryLabels: labels, keyLabels: labels),
        crossAttention: nil)
      x = layer(x, memory: nil, sites: sites, recorder: recorder)
      states.append(x)
    }
    if let finalNorm, states.count > 1 { states[states.count - 1] = finalNorm(x) }
    return states
  }
}
