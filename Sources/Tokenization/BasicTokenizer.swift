// BERT's basic tokenizer: cleanup, CJK splitting, NFC, whitespace split, lower-casing and accent
// stripping, punctuation split. Follows transformers' slow `BasicTokenizer`
// (models/bert/tokenization_bert_legacy.py), step for step, on Unicode scalars.
import Foundation

public struct BasicTokenizer: Sendable, Equatable {
  public var lowercase: Bool
  /// nil: strip accents exactly when lower-casing (BERT's default).
  public var stripAccents: Bool?
  public var splitChineseCharacters: Bool

  public init(lowercase: Bool = true, stripAccents: Bool? = nil, splitChineseCharacters: Bool = true) {
    self.lowercase = lowercase
    self.stripAccents = stripAccents
    self.splitChineseCharacters = splitChineseCharacters
  }

  /// The words of `text`, ready for WordPiece.
  public func words(of text: String) -> [[Unicode.Scalar]] {
    var cleaned: [Unicode.Scalar] = []
    cleaned.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      // Removed: NUL, U+FFFD (what invalid bytes became) and control characters.
      if scalar.value == 0 || scalar.value == 0xFFFD || BertCharacterClasses.isControl(scalar) {
        continue
      }
      if BertCharacterClasses.isWhitespace(scalar) {
        cleaned.append(" ")
      } else if splitChineseCharacters && BertCharacterClasses.isChineseCharacter(scalar) {
        cleaned.append(contentsOf: [" ", scalar, " "])
      } else {
        cleaned.append(scalar)
      }
    }
    // NFC first, so one character written two ways gives one token.
    let composed = Array(Self.string(cleaned).precomposedStringWithCanonicalMapping.unicodeScalars)
    var pieces: [[Unicode.Scalar]] = []
    for var word in BertCharacterClasses.splitOnPythonSpace(composed) {
      if lowercase {
        word = BertCharacterClasses.pythonLowercased(word)
        if stripAccents != false { word = Self.strippingAccents(word) }
      } else if stripAccents == true {
        word = Self.strippingAccents(word)
      }
      pieces.append(contentsOf: Self.splitOnPunctuation(word))
    }
    // The reference joins with spaces and splits again: pieces emptied by accent stripping vanish,
    // and whitespace produced by lower-casing separates.
    guard pieces.contains(where: { $0.contains(where: BertCharacterClasses.isPythonSpace) }) else {
      return pieces
    }
    return pieces.flatMap { BertCharacterClasses.splitOnPythonSpace($0) }
  }

  static func string(_ scalars: [Unicode.Scalar]) -> String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
  }

  /// NFD, then drop the nonspacing marks (category Mn).
  static func strippingAccents(_ word: [Unicode.Scalar]) -> [Unicode.Scalar] {
    string(word).decomposedStringWithCanonicalMapping.unicodeScalars.filter {
      $0.properties.generalCategory != .nonspacingMark
    }
  }

  /// Every punctuation character becomes its own piece.
  static func splitOnPunctuation(_ word: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
    var pieces: [[Unicode.Scalar]] = []
    var current: [Unicode.Scalar] = []
    for scalar in word {
      if BertCharacterClasses.isPunctuation(scalar) {
        if !current.isEmpty { pieces.append(current) }
        current.removeAll(keepingCapacity: true)
        pieces.append([scalar])
      } else {
        current.append(scalar)
      }
    }
    if !current.isEmpty { pieces.append(current) }
    return pieces
  }
}
