// Attention computed when it is asked for: a trace holds either its entries or a source that
// computes one entry (or one head of one) on demand, so a long input never holds every
// layer × head × n² at once (a 0.5 B LLM at 4,096 tokens would need ~45 GB for all of them).

/// An entry without its numbers: enough to list, select and label it before computing it.
public struct AttentionLayout: Sendable, Equatable {
  public var stack: AttentionStack
  public var kind: AttentionKind
  public var layer: Int
  public var heads: Int
  /// As `AttentionEntry.keyValueHeads`: nil when every query head has its own K/V head.
  public var keyValueHeads: Int?
  public var queries: [String]
  public var keys: [String]

  public init(
    stack: AttentionStack, kind: AttentionKind, layer: Int, heads: Int, keyValueHeads: Int?,
    queries: [String], keys: [String]
  ) {
    self.stack = stack
    self.kind = kind
    self.layer = layer
    self.heads = heads
    self.keyValueHeads = keyValueHeads
    self.queries = queries
    self.keys = keys
  }

  public init(_ entry: AttentionEntry) {
    self.init(
      stack: entry.stack, kind: entry.kind, layer: entry.layer, heads: entry.heads,
      keyValueHeads: entry.keyValueHeads, queries: entry.queries, keys: entry.keys)
  }

  /// Floats of one head's weights (scores take as many again).
  public var cellsPerHead: Int { queries.count * keys.count }
}

/// Computes a trace's entries on demand. Implementations are thread-safe (the viewer may ask from
/// its effect thread while drawing) and keep what they computed in a bounded cache.
public protocol AttentionSource: AnyObject, Sendable {
  /// Every entry's layout, in the order a full forward pass records them.
  var layout: [AttentionLayout] { get }
  /// Entry `index` with every head (and its vectors, when the source records them).
  func entry(at index: Int) -> AttentionEntry
  /// Entry `index` cut to `head` alone (heads 1, no vectors, no kv_heads), as
  /// `AttentionTrace.selecting(layer:head:)` cuts a held entry; costs one head, not the layer.
  func entry(at index: Int, head: Int) -> AttentionEntry
  /// Whether `entry(at:)` returns without computing (the viewer shows progress otherwise).
  func isReady(_ index: Int) -> Bool
  /// Whether `entry(at:head:)` returns without computing.
  func isReady(_ index: Int, head: Int) -> Bool
  /// A notice when the forward pass met non-finite activations (see `AttentionTrace.nonFiniteNotice`).
  var nonFiniteNotice: String? { get }
}

extension AttentionEntry {
  /// This entry cut to `head` alone: heads 1, without vectors or kv_heads.
  public func cut(toHead head: Int) -> AttentionEntry {
    let cells = queries.count * keys.count
    let slice = (head * cells)..<((head + 1) * cells)
    return AttentionEntry(
      stack: stack, kind: kind, layer: layer, heads: 1, queries: queries, keys: keys,
      weights: Array(weights[slice]), scores: Array(scores[slice]))
  }
}

/// Some entries of another source, each cut to one head or whole: what `selecting` makes of a
/// computed trace, still computed one entry at a time.
final class SelectedAttention: AttentionSource {
  let base: any AttentionSource
  let indices: [Int]
  let head: Int?
  let layout: [AttentionLayout]

  init(base: any AttentionSource, indices: [Int], head: Int?) {
    self.base = base
    self.indices = indices
    self.head = head
    let all = base.layout
    layout = indices.map { index in
      var layout = all[index]
      if head != nil { (layout.heads, layout.keyValueHeads) = (1, nil) }
      return layout
    }
  }

  func entry(at index: Int) -> AttentionEntry {
    guard let head else { return base.entry(at: indices[index]) }
    return base.entry(at: indices[index], head: head)
  }

  func entry(at index: Int, head: Int) -> AttentionEntry {
    guard let chosen = self.head else { return base.entry(at: indices[index], head: head) }
    precondition(head == 0, "a selected head is the entry's only head")
    return base.entry(at: indices[index], head: chosen)
  }

  func isReady(_ index: Int) -> Bool { base.isReady(indices[index]) }
  func isReady(_ index: Int, head: Int) -> Bool { base.isReady(indices[index], head: self.head ?? head) }
  var nonFiniteNotice: String? { base.nonFiniteNotice }
}
