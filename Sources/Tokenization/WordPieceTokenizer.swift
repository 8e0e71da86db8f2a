// BERT's tokenizer: the basic tokenizer, then greedy longest-match-first WordPiece with "##"
// continuations. Follows transformers' slow `BertTokenizerLegacy` / `WordpieceTokenizer`
// (models/bert/tokenization_bert_legacy.py); decoding as its `convert_tokens_to_string`, or as the
// `tokenizers` WordPiece decoder (decoders/wordpiece.rs) when loaded from tokenizer.json.

public struct WordPieceTokenizer: SubwordTokenizer {
  /// How ids become text again.
  public enum Decoding: Sendable, Equatable {
    /// `" ".join(tokens).replace(" ##", "").strip()`, then `clean_up_tokenization` when set.
    case joinTokens(cleanUpSpaces: Bool)
    /// The tokenizer.json WordPiece decoder: continuation pieces glued on, others after a space,
    /// each piece cleaned on its own when `cleanup` is set; then transformers' whole-text
    /// `clean_up_tokenization` when `cleanUpSpaces` is set.
    case wordPieceDecoder(cleanup: Bool, cleanUpSpaces: Bool)
  }

  /// Special token texts; each must be in the vocabulary, except those that are nil.
  public struct SpecialTokenNames: Sendable, Equatable {
    public var unknown = "[UNK]"
    public var classifier: String? = "[CLS]"
    public var separator: String? = "[SEP]"
    public var padding: String? = "[PAD]"
    public var mask: String? = "[MASK]"
    public init() {}
  }

  public static let maximumWordCharacters = 100

  public var kind: SubwordTokenizerKind { .wordPiece }
  public let basicTokenizer: BasicTokenizer
  public let decoding: Decoding
  public let continuationPrefix: String
  public let specialTokens: SpecialTokenIDs
  private let tokens: [String?]
  private let ids: [PieceKey: Int]
  private let unknownToken: String
  private let unknownID: Int
  private let splitter: AddedTokenSplitter
  /// The longest piece's UTF-8 length: no longer candidate can match, so none is built.
  private let longestPiece: Int

  /// `vocabulary` maps pieces to ids (vocab.txt: line numbers); `fileName` names it in errors.
  public init(
    vocabulary: [(piece: String, id: Int)], fileName: String,
    basicTokenizer: BasicTokenizer = BasicTokenizer(), specialTokenNames: SpecialTokenNames = .init(),
    decoding: Decoding = .joinTokens(cleanUpSpaces: true), continuationPrefix: String = "##"
  ) throws(TokenizationError) {
    let table = try PieceTable(vocabulary, fileName: fileName)
    guard let unknownID = table.ids[specialTokenNames.unknown.pieceKey] else {
      throw TokenizationError("\(fileName): no \(specialTokenNames.unknown) token")
    }
    func id(_ name: String?) -> Int? { name.flatMap { table.ids[$0.pieceKey] } }
    self.tokens = table.tokens
    self.ids = table.ids
    self.longestPiece = table.ids.keys.map(\.count).max() ?? 0
    self.unknownToken = specialTokenNames.unknown
    self.unknownID = unknownID
    self.basicTokenizer = basicTokenizer
    self.decoding = decoding
    self.continuationPrefix = continuationPrefix
    self.specialTokens = SpecialTokenIDs(
      unknown: unknownID, padding: id(specialTokenNames.padding),
      classifier: id(specialTokenNames.classifier), separator: id(specialTokenNames.separator),
      mask: id(specialTokenNames.mask))
    let names = [
      specialTokenNames.unknown, specialTokenNames.classifier, specialTokenNames.separator,
      specialTokenNames.padding, specialTokenNames.mask,
    ]
    self.splitter = AddedTokenSplitter(
      tokens: names.compactMap { $0 }.filter { table.ids[$0.pieceKey] != nil })
  }

  public var vocabularySize: Int { tokens.count }
  public func token(of id: Int) -> String? { tokens.indices.contains(id) ? tokens[id] : nil }
  public func id(of token: String) -> Int? { ids[token.pieceKey] }

  public func encode(_ text: String) -> [Token] {
    var out: [Token] = []
    for segment in splitter.split(text) {
      switch segment {
      case .special(let name):
        out.append(Token(id: ids[name.pieceKey] ?? unknownID, label: name, isUnknown: name == unknownToken))
      case .text(let text):
        for word in basicTokenizer.words(of: text) {
          guard let pieces = wordPieces(word) else {
            out.append(Token(id: unknownID, label: unknownToken, isUnknown: true))
            continue
          }
          out.append(contentsOf: pieces.map { Token(id: $0.id, label: $0.piece) })
        }
      }
    }
    return out
  }

  /// Greedy longest-match-first; nil when the word is too long or a part has no piece.
  func wordPieces(_ word: [Unicode.Scalar]) -> [(piece: String, id: Int)]? {
    guard word.count <= Self.maximumWordCharacters else { return nil }
    // Byte offset of every scalar, so each candidate is a slice of the word's UTF-8.
    var offsets = [0]
    var bytes: [UInt8] = []
    for scalar in word {
      bytes.append(contentsOf: UTF8.encode(scalar)!)
      offsets.append(bytes.count)
    }
    let prefix = continuationPrefix.pieceKey
    var pieces: [(piece: String, id: Int)] = []
    var start = 0
    while start < word.count {
      var end = word.count
      // Candidates are tried longest first; skipping those longer than any piece changes nothing
      // and keeps a word O(length × longest piece) instead of O(length²) in built keys.
      let budget = longestPiece - (start > 0 ? prefix.count : 0)
      while end > start, offsets[end] - offsets[start] > budget { end -= 1 }
      var found: (key: PieceKey, id: Int)?
      while start < end {
        let key = (start > 0 ? prefix : []) + bytes[offsets[start]..<offsets[end]]
        if let id = ids[key] {
          found = (key, id)
          break
        }
        end -= 1
      }
      guard let found else { return nil }
      pieces.append((String(decoding: found.key, as: UTF8.self), found.id))
      start = end
    }
    return pieces
  }

  public func addingSpecialTokens(_ tokens: [Token]) -> [Token] {
    var out = tokens
    if let cls = specialTokens.classifier { out.insert(Token(id: cls, label: token(of: cls) ?? ""), at: 0) }
    if let sep = specialTokens.separator { out.append(Token(id: sep, label: token(of: sep) ?? "")) }
    return out
  }

  public func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
    let skipped = skipSpecialTokens ? specialTokens.all : []
    let pieces = ids.filter { !skipped.contains($0) }.map { token(of: $0) ?? unknownToken }
    switch decoding {
    case .joinTokens(let cleanUpSpaces):
      let joined = pieces.joined(separator: " ").replacingAll(" " + continuationPrefix, with: "")
      let stripped = joined.strippingPythonSpace()
      return cleanUpSpaces ? Self.cleanUpTokenizationSpaces(stripped) : stripped
    case .wordPieceDecoder(let cleanup, let cleanUpSpaces):
      var text = ""
      for (i, piece) in pieces.enumerated() {
        var part = piece
        if i > 0 {
          if piece.utf8.starts(with: continuationPrefix.utf8) {
            part = String(decoding: piece.utf8.dropFirst(continuationPrefix.utf8.count), as: UTF8.self)
          } else {
            part = " " + piece
          }
        }
        text += cleanup ? Self.cleanUpTokenizationSpaces(part, decoder: true) : part
      }
      return cleanUpSpaces ? Self.cleanUpTokenizationSpaces(text) : text
    }
  }

  /// transformers' `clean_up_tokenization` (the `tokenizers` decoder's `cleanup` adds " do not").
  static func cleanUpTokenizationSpaces(_ text: String, decoder: Bool = false) -> String {
    var rules: [(String, String)] = [
      (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
      (" 'm", "'m"),
    ]
    if decoder { rules.append((" do not", " don't")) }
    rules += [(" 's", "'s"), (" 've", "'ve"), (" 're", "'re")]
    return rules.reduce(text) { $0.replacingAll($1.0, with: $1.1) }
  }
}

/// Pieces and ids of a vocabulary, checked: no empty or repeated piece, no id used twice.
struct PieceTable {
  var tokens: [String?]
  var ids: [PieceKey: Int]

  init(_ vocabulary: [(piece: String, id: Int)], fileName: String) throws(TokenizationError) {
    guard !vocabulary.isEmpty else { throw TokenizationError("\(fileName): the vocabulary is empty") }
    let size = (vocabulary.map(\.id).max() ?? -1) + 1
    guard vocabulary.allSatisfy({ $0.id >= 0 }), size <= 16 * vocabulary.count + 1024 else {
      throw TokenizationError("\(fileName): ids must be small non-negative numbers")
    }
    tokens = Array(repeating: nil, count: size)
    ids = [:]
    ids.reserveCapacity(vocabulary.count)
    for (piece, id) in vocabulary {
      if ids[piece.pieceKey] != nil {
        throw TokenizationError("\(fileName): the token \(quoted(piece)) appears twice")
      }
      if tokens[id] != nil { throw TokenizationError("\(fileName): id \(id) is used twice") }
      ids[piece.pieceKey] = id
      tokens[id] = piece
    }
  }
}

/// A token quoted for an error message, control characters escaped (it may reach a terminal).
func quoted(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars.prefix(80) {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    default:
      if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
        out += "\\u{\(String(scalar.value, radix: 16))}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + (text.unicodeScalars.count > 80 ? "…\"" : "\"")
}

extension String {
  /// Replaces every occurrence, comparing bytes (not canonical equivalence) as Python does.
  func replacingAll(_ target: String, with replacement: String) -> String {
    let bytes = Array(utf8)
    let needle = Array(target.utf8)
    guard !needle.isEmpty, bytes.count >= needle.count else { return self }
    let with = Array(replacement.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    while i < bytes.count {
      if bytes[i] == needle[0], i + needle.count <= bytes.count,
        bytes[i..<(i + needle.count)].elementsEqual(needle)
      {
        out.append(contentsOf: with)
        i += needle.count
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Python's `str.strip()`.
  func strippingPythonSpace() -> String {
    let scalars = Array(unicodeScalars)
    guard let first = scalars.firstIndex(where: { !BertCharacterClasses.isPythonSpace($0) }),
      let last = scalars.lastIndex(where: { !BertCharacterClasses.isPythonSpace($0) })
    else { return "" }
    return BasicTokenizer.string(Array(scalars[first...last]))
  }
}
