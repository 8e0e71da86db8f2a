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

/// The trace of one forward pass; its JSON form is the `attention --format json` output.
public struct AttentionTrace: Codable, Sendable, Equatable {
  public var model: String
  public var tokens: TokenLabels
  public var attention: [AttentionEntry]

  public init(model: String, tokens: TokenLabels, attention: [AttentionEntry]) {
    self.model = model
    self.tokens = tokens
    self.attention = attention
  }

  /// The entries of one stack and kind, ordered by layer.
  public func entries(stack: AttentionStack, kind: AttentionKind) -> [AttentionEntry] {
    attention.filter { $0.stack == stack && $0.kind == kind }.sorted { $0.layer < $1.layer }
  }

  /// The (stack, kind) pairs present, in the order encoder self, decoder masked, decoder cross.
  public var availableKinds: [(stack: AttentionStack, kind: AttentionKind)] {
    let order: [(AttentionStack, AttentionKind)] = [
      (.encoder, .self), (.decoder, .masked), (.decoder, .cross),
    ]
    return order.filter { pair in attention.contains { $0.stack == pair.0 && $0.kind == pair.1 } }
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
