// Word- and character-level tokenizers for attnscope's own models: text → ids with readable labels.

/// One token as the screens show it.
public struct Token: Sendable, Equatable {
  public var id: Int
  /// The vocabulary entry, or the original text of an unknown word.
  public var label: String
  public var isUnknown: Bool
  public init(id: Int, label: String, isUnknown: Bool = false) {
    self.id = id
    self.label = label
    self.isUnknown = isUnknown
  }
}

public protocol TextTokenizer: Sendable {
  var vocabulary: Vocabulary { get }
  /// Tokens of `text`, without special tokens. Unknown pieces map to `<unk>`.
  func encode(_ text: String) -> [Token]
  /// Text of `ids`, skipping special tokens.
  func decode(_ ids: [Int]) -> String
}

/// Splits on whitespace and keeps punctuation as separate tokens ("much." → "much", "."); an
/// apostrophe stays part of its word, so elisions such as "l'" and "don't" are single tokens.
public struct WordTokenizer: TextTokenizer {
  public let vocabulary: Vocabulary
  public let lowercase: Bool

  public init(vocabulary: Vocabulary, lowercase: Bool) {
    self.vocabulary = vocabulary
    self.lowercase = lowercase
  }

  public func words(of text: String) -> [String] {
    var words: [String] = []
    var current = ""
    for character in lowercase ? text.lowercased() : text {
      let isApostrophe = character == "'" || character == "’"
      if character.isWhitespace || (!isApostrophe && (character.isPunctuation || character.isSymbol)) {
        if !current.isEmpty { words.append(current) }
        current = ""
        if !character.isWhitespace { words.append(String(character)) }
      } else {
        current.append(character)
      }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }

  public func encode(_ text: String) -> [Token] {
    words(of: text).map { word in
      if let id = vocabulary.id(of: word) { return Token(id: id, label: word) }
      return Token(id: Vocabulary.unknownID, label: word, isUnknown: true)
    }
  }

  public func decode(_ ids: [Int]) -> String {
    ids.filter { $0 >= Vocabulary.specials.count }.map { vocabulary.token(of: $0) }.joined(
      separator: " ")
  }
}

/// One token per character (spaces included), for tasks such as sequence reversal.
public struct CharacterTokenizer: TextTokenizer {
  public let vocabulary: Vocabulary
  public let lowercase: Bool

  public init(vocabulary: Vocabulary, lowercase: Bool) {
    self.vocabulary = vocabulary
    self.lowercase = lowercase
  }

  public func encode(_ text: String) -> [Token] {
    (lowercase ? text.lowercased() : text).map { character in
      let piece = String(character)
      if let id = vocabulary.id(of: piece) { return Token(id: id, label: piece) }
      return Token(id: Vocabulary.unknownID, label: piece, isUnknown: true)
    }
  }

  public func decode(_ ids: [Int]) -> String {
    ids.filter { $0 >= Vocabulary.specials.count }.map { vocabulary.token(of: $0) }.joined()
  }
}
