// tokenizer.json's `decoder`: pieces back to text. Each decoder maps the list of pieces to a new list
// (`decode_chain`); the text is their concatenation. Follows tokenizers/src/decoders (byte_level.rs:
// a piece whose characters are all byte characters becomes those bytes, any other keeps its UTF-8,
// invalid UTF-8 replaced; byte_fallback.rs: runs of <0xAB> pieces become their bytes, or one U+FFFD
// per byte when not valid UTF-8; fuse.rs; strip.rs; metaspace.rs; the Replace normalizer per piece).
import JSON

indirect enum TokenizerDecoder: Sendable {
  case sequence([TokenizerDecoder])
  case byteLevel
  case byteFallback
  case fuse
  case strip(content: Unicode.Scalar, start: Int, stop: Int)
  case replace(TextPattern, content: [Unicode.Scalar])
  case metaspace(replacement: Unicode.Scalar, prependScheme: PrependScheme)

  static func parse(_ value: JSONValue?, fileName: String, path: String = "decoder") throws(TokenizationError)
    -> TokenizerDecoder?
  {
    guard let value, !value.isNull else { return nil }
    let type = value["type"]?.stringValue
    switch type {
    case "Sequence":
      guard let items = value["decoders"]?.arrayValue else {
        throw TokenizationError("\(fileName): \(path).decoders must be an array")
      }
      var parts: [TokenizerDecoder] = []
      for (index, item) in items.enumerated() {
        if let part = try parse(item, fileName: fileName, path: "\(path).decoders[\(index)]") {
          parts.append(part)
        }
      }
      return .sequence(parts)
    case "ByteLevel": return .byteLevel
    case "ByteFallback": return .byteFallback
    case "Fuse": return .fuse
    case "Strip":
      guard let content = value["content"]?.stringValue, content.unicodeScalars.count == 1,
        let start = value["start"]?.integer, let stop = value["stop"]?.integer, start >= 0, stop >= 0
      else {
        throw TokenizationError(
          "\(fileName): \(path) (Strip) needs one character as content and counts start and stop ≥ 0")
      }
      return .strip(content: content.unicodeScalars.first!, start: start, stop: stop)
    case "Replace":
      guard let content = value["content"]?.stringValue else {
        throw TokenizationError("\(fileName): \(path).content must be a string")
      }
      let pattern = try TextPattern(value["pattern"], fileName: fileName, what: "\(path).pattern")
      return .replace(pattern, content: Array(content.unicodeScalars))
    case "Metaspace":
      let replacement = try TokenizerPreTokenizer.metaspaceReplacement(value, fileName: fileName, path: path)
      let legacy = value["add_prefix_space"]?.boolValue ?? true
      let scheme =
        value["prepend_scheme"]?.stringValue.flatMap(PrependScheme.init(rawValue:))
        ?? (legacy ? .always : .never)
      return .metaspace(replacement: replacement, prependScheme: scheme)
    default:
      throw TokenizationError(
        "\(fileName): \(path).type \(quoted(type ?? "none")) is not supported (ByteLevel, ByteFallback, Fuse, Strip, Replace, Metaspace, Sequence)"
      )
    }
  }

  func decode(_ pieces: [String]) -> [String] {
    switch self {
    case .sequence(let parts): return parts.reduce(pieces) { $1.decode($0) }
    case .byteLevel:
      var bytes: [UInt8] = []
      for piece in pieces {
        let mapped = piece.unicodeScalars.map(ByteLevelAlphabet.byte(of:))
        if mapped.allSatisfy({ $0 != nil }) { bytes += mapped.map { $0! } } else { bytes += piece.utf8 }
      }
      return [String(decoding: bytes, as: UTF8.self)]
    case .byteFallback: return Self.fallBackBytes(pieces)
    case .fuse: return [pieces.joined()]
    case .strip(let content, let start, let stop):
      return pieces.map { piece in
        let scalars = Array(piece.unicodeScalars)
        var low = 0
        while low < min(start, scalars.count), scalars[low] == content { low += 1 }
        var high = scalars.count
        while scalars.count - high < stop, high > low, scalars[high - 1] == content { high -= 1 }
        return Array(scalars[low..<high]).string
      }
    case .replace(let pattern, let content):
      return pieces.map { pattern.replacing(in: Array($0.unicodeScalars), with: content).string }
    case .metaspace(let replacement, let scheme):
      // Every replacement character becomes a space, except in the first piece, where (unless the
      // scheme is "never") they are dropped.
      return pieces.enumerated().map { index, piece in
        var out = String.UnicodeScalarView()
        for scalar in piece.unicodeScalars {
          if scalar != replacement {
            out.append(scalar)
          } else if index > 0 || scheme == .never {
            out.append(" ")
          }
        }
        return String(out)
      }
    }
  }

  /// `<0xAB>` exactly as u8::from_str_radix reads its two characters: hexadecimal either case, a
  /// leading "+" accepted ("<0x+A>" is 10), a "-" refused.
  static func byteValue(_ piece: String) -> UInt8? {
    let bytes = Array(piece.utf8)
    guard bytes.count == 6, bytes.starts(with: Array("<0x".utf8)), bytes[5] == UInt8(ascii: ">"),
      bytes[3] != UInt8(ascii: "-")
    else { return nil }
    return UInt8(String(decoding: bytes[3..<5], as: UTF8.self), radix: 16)
  }

  private static func fallBackBytes(_ pieces: [String]) -> [String] {
    var out: [String] = []
    var pending: [UInt8] = []
    func flush() {
      guard !pending.isEmpty else { return }
      if let text = String(validating: pending, as: UTF8.self) {
        out.append(text)
      } else {
        out += Array(repeating: "\u{FFFD}", count: pending.count)
      }
      pending.removeAll()
    }
    for piece in pieces {
      if let byte = byteValue(piece) {
        pending.append(byte)
      } else {
        flush()
        out.append(piece)
      }
    }
    flush()
    return out
  }
}
