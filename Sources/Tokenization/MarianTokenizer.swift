// Marian's tokenizer: SentencePiece pieces from source.spm, ids from vocab.json (not the .spm ids),
// </s> appended. Follows transformers' slow `MarianTokenizer` (models/marian/tokenization_marian.py):
// a leading ">>lang<<" code is its own token, pieces missing from vocab.json become <unk>, and
// decoding runs the pieces between special tokens through SentencePiece's `decode_pieces`.

public struct MarianTokenizer: SubwordTokenizer {
  public struct SpecialTokenNames: Sendable, Equatable {
    public var unknown = "<unk>"
    public var end = "</s>"
    public var padding = "<pad>"
    public init() {}
  }

  public var kind: SubwordTokenizerKind { .sentencePieceUnigram }
  public let source: SentencePieceModel
  public let specialTokens: SpecialTokenIDs
  private let tokens: [String?]
  private let ids: [PieceKey: Int]
  private let unknownID: Int
  private let names: SpecialTokenNames
  private let splitter: AddedTokenSplitter

  public init(
    source: SentencePieceModel, vocabulary: [(piece: String, id: Int)], vocabularyFile: String,
    specialTokenNames: SpecialTokenNames = .init()
  ) throws(TokenizationError) {
    let table = try PieceTable(vocabulary, fileName: vocabularyFile)
    guard let unknownID = table.ids[specialTokenNames.unknown.pieceKey] else {
      throw TokenizationError("\(vocabularyFile): no \(specialTokenNames.unknown) token")
    }
    self.source = source
    self.tokens = table.tokens
    self.ids = table.ids
    self.unknownID = unknownID
    self.names = specialTokenNames
    self.specialTokens = SpecialTokenIDs(
      unknown: unknownID, padding: table.ids[specialTokenNames.padding.pieceKey],
      end: table.ids[specialTokenNames.end.pieceKey])
    let present = [specialTokenNames.unknown, specialTokenNames.end, specialTokenNames.padding].filter {
      table.ids[$0.pieceKey] != nil
    }
    self.splitter = AddedTokenSplitter(tokens: present)
  }

  public var vocabularySize: Int { tokens.count }
  public func token(of id: Int) -> String? { tokens.indices.contains(id) ? tokens[id] : nil }
  public func id(of token: String) -> Int? { ids[token.pieceKey] }

  private func token(piece: String) -> Token {
    let id = ids[piece.pieceKey] ?? unknownID
    return Token(id: id, label: piece, isUnknown: id == unknownID)
  }

  public func encode(_ text: String) -> [Token] {
    var out: [Token] = []
    for segment in splitter.split(text) {
      switch segment {
      case .special(let name): out.append(token(piece: name))
      case .text(var text):
        if let code = Self.languageCode(text) {
          out.append(token(piece: code))
          text = String(decoding: text.utf8.dropFirst(code.utf8.count), as: UTF8.self)
        }
        out.append(contentsOf: source.encode(text).map { token(piece: $0.piece) })
      }
    }
    return out
  }

  /// ">>fra<<" at the very start of the text, as `remove_language_code` finds it.
  static func languageCode(_ text: String) -> String? {
    let bytes = Array(text.utf8)
    guard bytes.starts(with: [0x3E, 0x3E]), bytes.count >= 4 else { return nil }
    for i in 0..<(bytes.count - 1) where bytes[i] == 0x3C && bytes[i + 1] == 0x3C {
      return String(decoding: bytes[..<(i + 2)], as: UTF8.self)
    }
    return nil
  }

  public func addingSpecialTokens(_ tokens: [Token]) -> [Token] {
    guard let end = specialTokens.end else { return tokens }
    return tokens + [Token(id: end, label: names.end)]
  }

  public func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
    let skipped = skipSpecialTokens ? specialTokens.all : []
    // Ids missing from vocab.json fall back to the source model's own pieces (the reference
    // decodes with the source model when the vocabulary is shared).
    let pieces = ids.filter { !skipped.contains($0) }.map { id in
      token(of: id) ?? (source.pieces.indices.contains(id) ? source.pieces[id].text : names.unknown)
    }
    let special = Set([names.unknown, names.end, names.padding].map(\.pieceKey))
    var text = ""
    var run: [String] = []
    for piece in pieces {
      if special.contains(piece.pieceKey) {
        text += source.decodePieces(run) + piece + " "
        run.removeAll()
      } else {
        run.append(piece)
      }
    }
    text += source.decodePieces(run)
    return text.replacingAll("\u{2581}", with: " ").strippingPythonSpace()
  }
}
