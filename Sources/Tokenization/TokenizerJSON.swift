// Tokenizer files (vocab.json, tokenizer.json, tokenizer_config.json) through the project's one JSON
// parser. Objects keep their keys in file order and exactly as written, repeats included, and key
// lookups compare bytes: a Swift `[String: _]` would merge keys that are canonically equivalent
// ("é" and "e\u{301}"), which a vocabulary must keep apart.
import JSON

enum TokenizerJSON {
  /// tokenizer.json nests normalizers and pre-tokenizers a few levels; 256 leaves room.
  static let maximumDepth = 256

  /// Parses a whole document; `fileName` starts every error message.
  static func parse(_ bytes: [UInt8], fileName: String) throws(TokenizationError) -> JSONValue {
    do { return try JSONValue.parse(bytes, maxDepth: maximumDepth, rejectDuplicateKeys: false) } catch {
      throw TokenizationError("\(fileName): not valid JSON (\(error.description))")
    }
  }
}

extension JSONValue {
  /// A whole number that fits an Int (`3`, also `3.0` as the old reader took it), else nil.
  var integer: Int? { numberValue?.exactInteger(as: Int.self) }
  /// A special-token entry: either "[CLS]" or {"content": "[CLS]", ...}.
  var tokenContent: String? { stringValue ?? self["content"]?.stringValue }
}
