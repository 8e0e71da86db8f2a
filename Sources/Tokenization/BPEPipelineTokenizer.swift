// A tokenizer.json BPE tokenizer run the way `tokenizers` runs it (tokenizer/mod.rs,
// `encode_single_sequence` and `decode`): added tokens split the raw text, each stretch between them
// is normalised, pre-tokenised and merged by the BPE model; the post-processor frames the result;
// decoding maps ids to pieces (added tokens first), drops special ones when asked, and runs the
// decoder (no decoder: pieces joined by spaces).

public struct BPEPipelineTokenizer: SubwordTokenizer {
  public let kind: SubwordTokenizerKind
  public let specialTokens: SpecialTokenIDs
  public let vocabularySize: Int
  let model: BPEModel
  let normalizer: TokenizerNormalizer?
  let preTokenizer: TokenizerPreTokenizer?
  let decoder: TokenizerDecoder?
  let postProcessor: TokenizerPostProcessor?
  let added: AddedVocabulary
  /// id → added token (they override the model's piece for that id).
  private let addedByID: [Int: AddedTokenEntry]
  private let addedByContent: [PieceKey: Int]

  init(
    model: BPEModel, normalizer: TokenizerNormalizer?, preTokenizer: TokenizerPreTokenizer?,
    decoder: TokenizerDecoder?, postProcessor: TokenizerPostProcessor?, addedTokens: [AddedTokenEntry],
    specialTokenNames names: SpecialTokenNames
  ) {
    self.model = model
    self.normalizer = normalizer
    self.preTokenizer = preTokenizer
    self.decoder = decoder
    self.postProcessor = postProcessor
    self.added = AddedVocabulary(addedTokens, normalizer: normalizer)
    var byID: [Int: AddedTokenEntry] = [:]
    var byContent: [PieceKey: Int] = [:]
    for entry in added.entries {
      byID[entry.id] = entry
      byContent[entry.content.pieceKey] = entry.id
      byContent[entry.piece.pieceKey] = byContent[entry.piece.pieceKey] ?? entry.id
    }
    addedByID = byID
    addedByContent = byContent
    vocabularySize = max(model.tokens.count, (addedTokens.map(\.id).max() ?? -1) + 1)
    kind = preTokenizer?.hasByteLevel == true ? .byteLevelBPE : .sentencePieceBPE
    func id(_ name: String?) -> Int? { name.flatMap { byContent[$0.pieceKey] ?? model.ids[$0.pieceKey] } }
    specialTokens = SpecialTokenIDs(
      unknown: id(names.unknown) ?? model.unknownID, padding: id(names.padding), mask: id(names.mask),
      beginning: id(names.beginning), end: id(names.end))
  }

  /// Special-token texts from tokenizer_config.json / special_tokens_map.json.
  public struct SpecialTokenNames: Sendable, Equatable {
    public var unknown: String?
    public var beginning: String?
    public var end: String?
    public var padding: String?
    public var mask: String?
    public init() {}
  }

  public func token(of id: Int) -> String? {
    if let entry = addedByID[id] { return entry.piece }
    return model.tokens.indices.contains(id) ? model.tokens[id] : nil
  }

  public func id(of token: String) -> Int? { addedByContent[token.pieceKey] ?? model.ids[token.pieceKey] }

  public func encode(_ text: String) -> [Token] {
    var out: [Token] = []
    for segment in added.segments(text, normalizer: normalizer) {
      switch segment {
      case .token(let entry): out.append(Token(id: entry.id, label: entry.piece))
      case .text(let piece):
        for part in preTokenizer?.preTokenize([piece]) ?? [piece] {
          for id in model.tokenize(part.scalars) {
            out.append(Token(id: id, label: token(of: id) ?? "", isUnknown: id == model.unknownID))
          }
        }
      }
    }
    return out
  }

  public func addingSpecialTokens(_ tokens: [Token]) -> [Token] {
    guard let (before, after) = postProcessor?.framing else { return tokens }
    func special(_ id: Int) -> Token { Token(id: id, label: token(of: id) ?? "") }
    return before.map(special) + tokens + after.map(special)
  }

  public func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
    var pieces: [String] = []
    for id in ids {
      if let entry = addedByID[id] {
        if !(skipSpecialTokens && entry.special) { pieces.append(entry.piece) }
      } else if model.tokens.indices.contains(id), let piece = model.tokens[id] {
        pieces.append(piece)
      }
    }
    guard let decoder else { return pieces.joined(separator: " ") }
    return decoder.decode(pieces).joined()
  }
}

extension TokenizerPreTokenizer {
  /// Whether bytes become the byte-level alphabet somewhere in the chain (Llama 3, Qwen, GPT-2).
  var hasByteLevel: Bool {
    switch self {
    case .byteLevel: return true
    case .sequence(let parts): return parts.contains { $0.hasByteLevel }
    default: return false
    }
  }
}
