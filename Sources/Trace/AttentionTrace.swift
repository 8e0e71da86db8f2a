// Everything one forward pass showed: the model, its tokens and every attention entry, as plain data.

/// The token labels a forward pass saw, per stack.
public struct TokenLabels: Codable, Sendable, Equatable {
  public var encoder: [String]?
  public var decoder: [String]?
  public init(encoder: [String]? = nil, decoder: [String]? = nil) {
    self.encoder = encoder
    self.decoder = decoder
  }
}

/// The trace of one forward pass; its JSON form is the `attention --format json` output. It holds
/// its entries, or computes them on demand from an `AttentionSource` (long inputs): read one entry
/// with `entry(at:)` / `entry(stack:kind:layer:)`; `attention` computes every entry.
public struct AttentionTrace: Sendable {
  public var model: String
  public var tokens: TokenLabels
  var store: Store

  enum Store: Sendable {
    case held([AttentionEntry])
    case computed(any AttentionSource)
  }

  public init(model: String, tokens: TokenLabels, attention: [AttentionEntry]) {
    self.model = model
    self.tokens = tokens
    store = .held(attention)
  }

  /// A trace whose entries `source` computes when they are asked for.
  public init(model: String, tokens: TokenLabels, source: any AttentionSource) {
    self.model = model
    self.tokens = tokens
    store = .computed(source)
  }

  /// Every entry, computed now if the trace computes on demand (a long input's full trace may not
  /// fit in memory: prefer `entry(at:)`). Setting it makes the trace hold these entries.
  public var attention: [AttentionEntry] {
    get {
      switch store {
      case .held(let entries): entries
      case .computed(let source): source.layout.indices.map { source.entry(at: $0) }
      }
    }
    set { store = .held(newValue) }
  }

  /// Whether entries are computed when asked for (rather than held).
  public var computesOnDemand: Bool {
    if case .computed = store { return true }
    return false
  }

  /// Every entry's stack, kind, layer, heads and labels, without computing any.
  public var layout: [AttentionLayout] {
    switch store {
    case .held(let entries): entries.map(AttentionLayout.init)
    case .computed(let source): source.layout
    }
  }

  public var entryCount: Int {
    switch store {
    case .held(let entries): entries.count
    case .computed(let source): source.layout.count
    }
  }

  /// Entry `index` (in recording order) with every head.
  public func entry(at index: Int) -> AttentionEntry {
    switch store {
    case .held(let entries): entries[index]
    case .computed(let source): source.entry(at: index)
    }
  }

  /// Entry `index` cut to `head` alone (heads 1): one head's cost on a trace that computes on demand.
  public func entry(at index: Int, head: Int) -> AttentionEntry {
    switch store {
    case .held(let entries): entries[index].cut(toHead: head)
    case .computed(let source): source.entry(at: index, head: head)
    }
  }

  /// Whether `entry(at:)` returns without computing.
  public func isReady(_ index: Int) -> Bool {
    switch store {
    case .held: true
    case .computed(let source): source.isReady(index)
    }
  }

  /// Whether `entry(at:head:)` returns without computing.
  public func isReady(_ index: Int, head: Int) -> Bool {
    switch store {
    case .held: true
    case .computed(let source): source.isReady(index, head: head)
    }
  }

  /// Indices of the entries of one stack and kind, ordered by layer.
  public func indices(stack: AttentionStack, kind: AttentionKind) -> [Int] {
    let layout = self.layout
    return layout.indices.filter { layout[$0].stack == stack && layout[$0].kind == kind }
      .sorted { layout[$0].layer < layout[$1].layer }
  }

  /// The `position`-th entry (by layer) of one stack and kind, computed if need be; nil past the end.
  public func entry(stack: AttentionStack, kind: AttentionKind, position: Int) -> AttentionEntry? {
    let found = indices(stack: stack, kind: kind)
    return found.indices.contains(position) ? entry(at: found[position]) : nil
  }

  /// The entries of one stack and kind, ordered by layer; each is computed when it is read, so
  /// `count` or one layer costs no more than that.
  public func entries(stack: AttentionStack, kind: AttentionKind) -> AttentionEntries {
    AttentionEntries(self, positions: indices(stack: stack, kind: kind))
  }

  /// The (stack, kind) pairs present, in the order encoder self, decoder masked, decoder cross.
  public var availableKinds: [(stack: AttentionStack, kind: AttentionKind)] {
    let order: [(AttentionStack, AttentionKind)] = [
      (.encoder, .self), (.decoder, .masked), (.decoder, .cross),
    ]
    let layout = self.layout
    return order.filter { pair in layout.contains { $0.stack == pair.0 && $0.kind == pair.1 } }
  }
}

extension AttentionTrace: Equatable {
  public static func == (a: AttentionTrace, b: AttentionTrace) -> Bool {
    a.model == b.model && a.tokens == b.tokens && a.attention == b.attention
  }
}

extension AttentionTrace: Codable {
  enum CodingKeys: String, CodingKey { case model, tokens, attention }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      model: try container.decode(String.self, forKey: .model),
      tokens: try container.decode(TokenLabels.self, forKey: .tokens),
      attention: try container.decode([AttentionEntry].self, forKey: .attention))
  }

  /// Every entry at once; `writeJSON(to:)` writes the same bytes one row at a time.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(model, forKey: .model)
    try container.encode(tokens, forKey: .tokens)
    try container.encode(attention, forKey: .attention)
  }
}

/// Receives attention as the engine computes it. Passed down the forward call, so attention is
/// handed over as data instead of being stashed in layers for the UI to fish out.
public final class AttentionRecorder {
  public private(set) var entries: [AttentionEntry] = []
  /// Also keep each head's q, k, v and output (`AttentionEntry.vectors`), for the Q·K detail
  /// screen; off by default so traces that only need the weights stay small.
  public let recordsVectors: Bool
  public init(recordsVectors: Bool = false) { self.recordsVectors = recordsVectors }
  public func record(_ entry: AttentionEntry) { entries.append(entry) }
}

/// Some entries of a trace as a collection, each computed (on a trace that computes on demand)
/// when it is read.
public struct AttentionEntries: RandomAccessCollection, Sendable {
  let trace: AttentionTrace
  /// Indices into the trace, in order.
  let positions: [Int]
  public init(_ trace: AttentionTrace, positions: [Int]) {
    self.trace = trace
    self.positions = positions
  }
  public var startIndex: Int { 0 }
  public var endIndex: Int { positions.count }
  public subscript(position: Int) -> AttentionEntry { trace.entry(at: positions[position]) }
  /// The trace's index of the entry at `position` (for `isReady`, `entry(at:head:)`).
  public func traceIndex(_ position: Int) -> Int { positions[position] }
}
