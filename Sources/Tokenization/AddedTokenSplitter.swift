// Splits text around special tokens typed into it ("the [MASK] sat", "a</s>b") so they stay single
// tokens, as `transformers`' added-token trie (`PreTrainedTokenizer.tokenize`) and the `tokenizers`
// AddedVocabulary do: leftmost match first, the longest token where several start at one place.

struct AddedTokenSplitter: Sendable {
  enum Segment: Equatable {
    case text(String)
    case special(String)
  }

  private let tokens: [PieceKey]

  init(tokens: [String]) {
    // Longest first, so "<|endoftext|>" wins over a shorter token sharing its start.
    self.tokens = Array(Set(tokens.filter { !$0.isEmpty }.map(\.pieceKey))).sorted {
      $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1)
    }
  }

  func split(_ text: String) -> [Segment] {
    guard !tokens.isEmpty else { return text.isEmpty ? [] : [.text(text)] }
    let bytes = Array(text.utf8)
    var segments: [Segment] = []
    var textStart = 0
    var position = 0
    while position < bytes.count {
      // Special tokens are whole UTF-8 strings, so a match can only begin at a scalar boundary.
      if let match = tokens.first(where: { matches($0, bytes, at: position) }) {
        if textStart < position {
          segments.append(.text(String(decoding: bytes[textStart..<position], as: UTF8.self)))
        }
        segments.append(.special(String(decoding: match, as: UTF8.self)))
        position += match.count
        textStart = position
      } else {
        position += 1
      }
    }
    if textStart < bytes.count {
      segments.append(.text(String(decoding: bytes[textStart...], as: UTF8.self)))
    }
    return segments
  }

  private func matches(_ token: PieceKey, _ bytes: [UInt8], at position: Int) -> Bool {
    guard bytes[position] == token[0], position + token.count <= bytes.count else { return false }
    for offset in 1..<token.count where bytes[position + offset] != token[offset] { return false }
    return true
  }
}
