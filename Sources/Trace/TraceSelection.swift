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
    switch store {
    case .held(let entries):
      copy.store = .held(
        entries.filter { layer == nil || $0.layer == layer }.map { entry in
          head.map { entry.cut(toHead: $0) } ?? entry
        })
    case .computed(let source):
      // Still computed one entry at a time, each costing one head when a head is chosen.
      let kept = source.layout.indices.filter { layer == nil || source.layout[$0].layer == layer }
      copy.store = .computed(SelectedAttention(base: source, indices: kept, head: head))
    }
    return copy
  }

  /// Refuses a `layer` or `head` (0-based) the model does not have, naming the flag and the valid
  /// range: the one check behind `attention --layer/--head` and the viewer's (which used to clamp).
  public func checkSelection(layer: Int?, head: Int?) throws(SelectionError) {
    let layout = self.layout
    let layers = (layout.map(\.layer).max() ?? -1) + 1
    if let layer, !(0..<layers).contains(layer) {
      throw SelectionError(
        description: "--layer \(layer + 1) is out of range: \(model) has layers 1–\(layers)")
    }
    let heads = layout.map(\.heads).min() ?? 0
    if let head, !(0..<heads).contains(head) {
      throw SelectionError(description: "--head \(head + 1) is out of range: \(model) has heads 1–\(heads)")
    }
  }
}
