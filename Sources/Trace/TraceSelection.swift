// One layer and/or one head picked out of a trace, for `attention --layer L --head H`: the entries
// of other layers are dropped and each kept entry is cut to the chosen head.

extension AttentionTrace {
  /// A problem with the selection, naming what the model has.
  public struct SelectionError: Error, CustomStringConvertible {
    public let description: String
  }

  /// The trace restricted to `layer` and `head` (0-based; nil keeps all). Per-head vectors are
  /// dropped when a head is chosen.
  public func selecting(layer: Int?, head: Int?) throws(SelectionError) -> AttentionTrace {
    try checkSelection(layer: layer, head: head)
    var copy = self
    copy.attention = attention.filter { layer == nil || $0.layer == layer }.map { entry in
      guard let head else { return entry }
      let cells = entry.queries.count * entry.keys.count
      let slice = (head * cells)..<((head + 1) * cells)
      return AttentionEntry(
        stack: entry.stack, kind: entry.kind, layer: entry.layer, heads: 1, queries: entry.queries,
        keys: entry.keys, weights: Array(entry.weights[slice]), scores: Array(entry.scores[slice]))
    }
    return copy
  }

  /// Refuses a `layer` or `head` (0-based) the model does not have, naming the flag and the valid
  /// range: the one check behind `attention --layer/--head` and the viewer's (which used to clamp).
  public func checkSelection(layer: Int?, head: Int?) throws(SelectionError) {
    let layers = (attention.map(\.layer).max() ?? -1) + 1
    if let layer, !(0..<layers).contains(layer) {
      throw SelectionError(
        description: "--layer \(layer + 1) is out of range: \(model) has layers 1–\(layers)")
    }
    let heads = attention.map(\.heads).min() ?? 0
    if let head, !(0..<heads).contains(head) {
      throw SelectionError(description: "--head \(head + 1) is out of range: \(model) has heads 1–\(heads)")
    }
  }
}
