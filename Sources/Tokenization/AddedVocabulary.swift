// tokenizer.json's `added_tokens`: pieces kept whole, found in the text before the model sees it.
// As the `tokenizers` AddedVocabulary does (tokenizer/added_vocabulary.rs, `extract_and_normalize`,
// `find_matches`): tokens with normalized = false are found in the raw text first; every stretch
// between them is normalised on its own and searched for the normalized = true tokens (whose own text
// is normalised too). `single_word` refuses a match inside a word (Rust regex \w on either side);
// `lstrip` / `rstrip` swallow the whitespace before / after the token.
import JSON

struct AddedTokenEntry: Sendable, Equatable {
  var content: String
  var id: Int
  var special: Bool
  var singleWord = false
  var leftStrip = false
  var rightStrip = false
  var normalized = false
  /// The piece `tokenizers` shows for the id: a normalized token's text after the normalizer
  /// ("ＯＫ" under NFKC is "OK"), else the content.
  var piece = ""
}

struct AddedVocabulary: Sendable {
  enum Segment: Equatable {
    case token(AddedTokenEntry)
    case text(TextPiece)
  }

  let entries: [AddedTokenEntry]
  private let rawSplitter: AddedTokenSplitter
  private let rawTokens: [PieceKey: AddedTokenEntry]
  private let normalizedSplitter: AddedTokenSplitter
  private let normalizedTokens: [PieceKey: AddedTokenEntry]

  init(_ entries: [AddedTokenEntry], normalizer: TokenizerNormalizer?) {
    self.entries = entries.map { entry in
      var entry = entry
      entry.piece =
        entry.normalized
        ? normalizer?.normalize(Array(entry.content.unicodeScalars)).string ?? entry.content : entry.content
      return entry
    }
    var raw: [PieceKey: AddedTokenEntry] = [:]
    var normalized: [PieceKey: AddedTokenEntry] = [:]
    for entry in self.entries {
      if entry.normalized {
        let text = entry.piece
        if normalized[text.pieceKey] == nil { normalized[text.pieceKey] = entry }
      } else if raw[entry.content.pieceKey] == nil {
        raw[entry.content.pieceKey] = entry
      }
    }
    rawTokens = raw
    normalizedTokens = normalized
    rawSplitter = AddedTokenSplitter(tokens: raw.keys.map { String(decoding: $0, as: UTF8.self) })
    normalizedSplitter = AddedTokenSplitter(
      tokens: normalized.keys.map { String(decoding: $0, as: UTF8.self) })
  }

  /// The text as added tokens and normalised stretches between them, empty stretches dropped.
  func segments(_ text: String, normalizer: TokenizerNormalizer?) -> [Segment] {
    var out: [Segment] = []
    for segment in Self.find(Array(text.utf8), rawSplitter, rawTokens, atTextStart: true) {
      guard case .text(let piece) = segment else {
        out.append(segment)
        continue
      }
      let normal = normalizer?.normalize(piece.scalars) ?? piece.scalars
      let pieces = Self.find(
        Array(normal.string.utf8), normalizedSplitter, normalizedTokens, atTextStart: piece.atTextStart)
      out += pieces
    }
    return out
  }

  private static func find(
    _ bytes: [UInt8], _ splitter: AddedTokenSplitter, _ tokens: [PieceKey: AddedTokenEntry], atTextStart: Bool
  ) -> [Segment] {
    var out: [Segment] = []
    var textStart = 0
    func text(_ range: Range<Int>) {
      guard !range.isEmpty else { return }
      let scalars = Array(String(decoding: bytes[range], as: UTF8.self).unicodeScalars)
      out.append(.text(TextPiece(scalars: scalars, atTextStart: atTextStart && range.lowerBound == 0)))
    }
    for match in splitter.matches(bytes) {
      let entry = tokens[Array(bytes[match])]!
      var start = match.lowerBound
      var stop = match.upperBound
      if entry.singleWord {
        let wordBefore = UTF8Scan.scalar(before: start, in: bytes).map(Self.isWord) ?? false
        let wordAfter = UTF8Scan.scalar(at: stop, in: bytes).map(Self.isWord) ?? false
        if wordBefore || wordAfter { continue }
      }
      if entry.leftStrip {
        start = max(UTF8Scan.whitespaceRunStart(before: start, in: bytes, limit: textStart), textStart)
      }
      if entry.rightStrip { stop = UTF8Scan.whitespaceRunEnd(from: stop, in: bytes) }
      if textStart < start { text(textStart..<start) }
      out.append(.token(entry))
      textStart = max(textStart, stop)
    }
    if textStart < bytes.count { text(textStart..<bytes.count) }
    return out
  }

  private static func isWord(_ scalar: Unicode.Scalar) -> Bool {
    ScalarTraits.mask(scalar) & ScalarTraits.word != 0
  }
}

/// Scalar-at-a-time steps over UTF-8 bytes, so stripping whitespace beside a token costs the length
/// of the whitespace, not of the text.
enum UTF8Scan {
  static func scalar(at index: Int, in bytes: [UInt8]) -> Unicode.Scalar? {
    guard index < bytes.count else { return nil }
    let length = min(SentencePieceModel.utf8Length(bytes[index]), bytes.count - index)
    return String(decoding: bytes[index..<(index + length)], as: UTF8.self).unicodeScalars.first
  }

  /// The scalar ending at `index` and where it starts.
  static func scalarStart(before index: Int, in bytes: [UInt8]) -> Int? {
    guard index > 0 else { return nil }
    var start = index - 1
    while start > 0, bytes[start] & 0xC0 == 0x80, index - start < 4 { start -= 1 }
    return start
  }

  static func scalar(before index: Int, in bytes: [UInt8]) -> Unicode.Scalar? {
    scalarStart(before: index, in: bytes).flatMap { scalar(at: $0, in: bytes) }
  }

  /// Where the run of White_Space scalars that ends at `index` begins (not before `limit`).
  static func whitespaceRunStart(before index: Int, in bytes: [UInt8], limit: Int) -> Int {
    var position = index
    while position > limit, let start = scalarStart(before: position, in: bytes),
      let scalar = scalar(at: start, in: bytes), scalar.properties.isWhitespace
    {
      position = start
    }
    return position
  }

  /// Where the run of White_Space scalars that starts at `index` ends.
  static func whitespaceRunEnd(from index: Int, in bytes: [UInt8]) -> Int {
    var position = index
    while let scalar = scalar(at: position, in: bytes), scalar.properties.isWhitespace {
      position += scalar.utf8Length
    }
    return position
  }
}

extension Unicode.Scalar {
  var utf8Length: Int { UTF8.width(self) }
}
