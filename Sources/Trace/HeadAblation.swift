// Which attention heads are switched off: the value the engine applies (a head's output zeroed
// before the output projection, in every position — the "zero ablation" of Michel et al. 2019,
// "Are Sixteen Heads Really Better than One?") and the screens mark. Shared by the engine, the
// CLI and AppCore, so it lives with the other trace value types.

/// One head of one attention sublayer (0-based layer and head).
public struct AblatedHead: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var stack: AttentionStack
  public var kind: AttentionKind
  public var layer: Int
  public var head: Int

  public init(stack: AttentionStack, kind: AttentionKind, layer: Int, head: Int) {
    self.stack = stack
    self.kind = kind
    self.layer = layer
    self.head = head
  }

  /// "L2.H3" (1-based) with the sublayer's prefix where a model has several ("cross.L2.H3").
  public func label(qualified: Bool) -> String {
    (qualified ? HeadAblation.prefix(stack: stack, kind: kind) + "." : "") + "L\(layer + 1).H\(head + 1)"
  }

  public var description: String { label(qualified: true) }

  public static func < (a: AblatedHead, b: AblatedHead) -> Bool {
    (a.stack.rawValue, a.kind.rawValue, a.layer, a.head) < (
      b.stack.rawValue, b.kind.rawValue, b.layer, b.head
    )
  }
}

/// A set of switched-off heads; empty means the model as trained.
public struct HeadAblation: Hashable, Sendable {
  public var heads: Set<AblatedHead>

  public init(_ heads: Set<AblatedHead> = []) { self.heads = heads }

  public var isEmpty: Bool { heads.isEmpty }

  /// The heads switched off in one sublayer, ascending.
  public func heads(stack: AttentionStack, kind: AttentionKind, layer: Int) -> [Int] {
    heads.filter { $0.stack == stack && $0.kind == kind && $0.layer == layer }.map(\.head).sorted()
  }

  public func contains(stack: AttentionStack, kind: AttentionKind, layer: Int, head: Int) -> Bool {
    heads.contains(AblatedHead(stack: stack, kind: kind, layer: layer, head: head))
  }

  /// Switches one head off, or back on when it already is.
  public mutating func toggle(_ head: AblatedHead) {
    if heads.remove(head) == nil { heads.insert(head) }
  }

  /// "L1.H2, L2.H1" (1-based), sublayer prefixes only where `qualified` (models with several).
  public func summary(qualified: Bool) -> String {
    heads.sorted().map { $0.label(qualified: qualified) }.joined(separator: ", ")
  }

  /// The prefix naming a sublayer in `--ablate` lists: `enc`, `dec`, `cross`.
  public static func prefix(stack: AttentionStack, kind: AttentionKind) -> String {
    switch (stack, kind) {
    case (_, .cross): "cross"
    case (.encoder, _): "enc"
    case (.decoder, _): "dec"
    }
  }

  /// Parses `--ablate`'s list: `L.H[,L.H…]`, 1-based, each optionally prefixed by the sublayer
  /// (`enc.L.H`, `dec.L.H`, `cross.L.H`). `sublayers` are the model's attention sublayers with their
  /// layer and head counts; a plain `L.H` needs the model to have exactly one. Every error is one
  /// line naming the item that is wrong, quoted as Swift quotes a string (control characters
  /// escaped, so a crafted list cannot break the line: FuzzAblation found `,\n\0`).
  public static func parse(
    _ text: String, sublayers: [(stack: AttentionStack, kind: AttentionKind, layers: Int, heads: Int)]
  ) throws(AblationError) -> HeadAblation {
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
      String($0.filter { !$0.isWhitespace })
    }
    guard !items.isEmpty, !items.contains(where: \.isEmpty) else {
      throw AblationError(
        "--ablate \(text.debugDescription): expected a list like 1.2,2.1 (layer.head, 1-based), with no empty items"
      )
    }
    var result = HeadAblation()
    for item in items {
      var parts = item.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
      var sublayer = sublayers.count == 1 ? sublayers.first : nil
      if parts.count == 3 {
        let name = parts.removeFirst()
        guard let named = sublayers.first(where: { prefix(stack: $0.stack, kind: $0.kind) == name }) else {
          let names = sublayers.map { prefix(stack: $0.stack, kind: $0.kind) }.joined(separator: ", ")
          throw AblationError(
            "--ablate \(item.debugDescription): \(name.debugDescription) is not an attention of this model (it has: \(names))"
          )
        }
        sublayer = named
      }
      guard parts.count == 2, let layer = Int(parts[0]), let head = Int(parts[1]) else {
        throw AblationError(
          "--ablate \(item.debugDescription): expected layer.head, e.g. 1.2 (1-based numbers)")
      }
      guard let sublayer else {
        let names = sublayers.map { prefix(stack: $0.stack, kind: $0.kind) + ".\(item)" }.joined(
          separator: ", ")
        throw AblationError(
          "--ablate \(item.debugDescription): this model has several attentions, name one: \(names)")
      }
      guard (1...max(1, sublayer.layers)).contains(layer), sublayer.layers > 0 else {
        throw AblationError(
          "--ablate \(item.debugDescription): layer \(layer) out of range 1…\(sublayer.layers)")
      }
      guard (1...max(1, sublayer.heads)).contains(head), sublayer.heads > 0 else {
        throw AblationError(
          "--ablate \(item.debugDescription): head \(head) out of range 1…\(sublayer.heads)")
      }
      result.heads.insert(
        AblatedHead(stack: sublayer.stack, kind: sublayer.kind, layer: layer - 1, head: head - 1))
    }
    return result
  }
}

/// A malformed or out-of-range `--ablate` list, as one line.
public struct AblationError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
