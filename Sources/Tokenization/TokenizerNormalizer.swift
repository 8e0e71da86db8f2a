// tokenizer.json's `normalizer` for the BPE tokenizers of today's LLMs: Sequence, Prepend, Replace,
// the four Unicode normalisation forms, Lowercase, Strip, null. Follows tokenizers/src/normalizers
// (prepend.rs: nothing is prepended to an empty text; replace.rs; unicode.rs). NFC and friends come
// from Foundation (CFStringNormalize), checked against the reference on the fixtures' combining marks,
// ligatures and full-width forms.
import Foundation
import JSON

indirect enum TokenizerNormalizer: Sendable {
  case sequence([TokenizerNormalizer])
  case prepend([Unicode.Scalar])
  case replace(TextPattern, content: [Unicode.Scalar])
  case nfc, nfd, nfkc, nfkd
  case lowercase
  case strip(left: Bool, right: Bool)

  /// nil for JSON null or an absent key.
  static func parse(_ value: JSONValue?, fileName: String, path: String = "normalizer")
    throws(TokenizationError)
    -> TokenizerNormalizer?
  {
    guard let value, !value.isNull else { return nil }
    let type = value["type"]?.stringValue
    switch type {
    case "Sequence":
      guard let items = value["normalizers"]?.arrayValue else {
        throw TokenizationError("\(fileName): \(path).normalizers must be an array")
      }
      var parts: [TokenizerNormalizer] = []
      for (index, item) in items.enumerated() {
        if let part = try parse(item, fileName: fileName, path: "\(path).normalizers[\(index)]") {
          parts.append(part)
        }
      }
      return .sequence(parts)
    case "Prepend":
      guard let text = value["prepend"]?.stringValue else {
        throw TokenizationError("\(fileName): \(path).prepend must be a string")
      }
      return .prepend(Array(text.unicodeScalars))
    case "Replace":
      guard let content = value["content"]?.stringValue else {
        throw TokenizationError("\(fileName): \(path).content must be a string")
      }
      let pattern = try TextPattern(value["pattern"], fileName: fileName, what: "\(path).pattern")
      return .replace(pattern, content: Array(content.unicodeScalars))
    case "NFC": return .nfc
    case "NFD": return .nfd
    case "NFKC": return .nfkc
    case "NFKD": return .nfkd
    case "Lowercase": return .lowercase
    case "Strip":
      return .strip(
        left: value["strip_left"]?.boolValue ?? true, right: value["strip_right"]?.boolValue ?? true)
    default:
      throw TokenizationError(
        "\(fileName): \(path).type \(quoted(type ?? "none")) is not supported (Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip)"
      )
    }
  }

  func normalize(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    switch self {
    case .sequence(let parts): return parts.reduce(scalars) { $1.normalize($0) }
    case .prepend(let text): return scalars.isEmpty ? scalars : text + scalars
    case .replace(let pattern, let content): return pattern.replacing(in: scalars, with: content)
    case .nfc: return Array(scalars.string.precomposedStringWithCanonicalMapping.unicodeScalars)
    case .nfd: return Array(scalars.string.decomposedStringWithCanonicalMapping.unicodeScalars)
    case .nfkc: return Array(scalars.string.precomposedStringWithCompatibilityMapping.unicodeScalars)
    case .nfkd: return Array(scalars.string.decomposedStringWithCompatibilityMapping.unicodeScalars)
    case .lowercase:
      // Rust's char::to_lowercase, scalar by scalar (no context rules, unlike String.lowercased()).
      return scalars.flatMap { Array($0.properties.lowercaseMapping.unicodeScalars) }
    case .strip(let left, let right):
      var slice = scalars[...]
      if left { slice = slice.drop { $0.properties.isWhitespace } }
      if right { while let last = slice.last, last.properties.isWhitespace { slice = slice.dropLast() } }
      return Array(slice)
    }
  }
}
