// tokenizer.json's `pre_tokenizer`: Split (String or Regex pattern, every behavior, invert),
// ByteLevel, Metaspace, Digits, Sequence, null. Each one works on every piece the previous step left
// and drops empty pieces, as PreTokenizedString::split does. Follows tokenizers/src/pre_tokenizers
// (split.rs, byte_level.rs, metaspace.rs, digits.rs) and NormalizedString::split (normalizer.rs) for
// the behaviors.
import JSON

/// A piece of normalised text on its way to the model. `atTextStart`: it begins where the input
/// text began (Metaspace's prepend_scheme "first" prepends only there).
struct TextPiece: Sendable, Equatable {
  var scalars: [Unicode.Scalar]
  var atTextStart: Bool
}

enum SplitBehavior: String, Sendable {
  case removed = "Removed"
  case isolated = "Isolated"
  case mergedWithPrevious = "MergedWithPrevious"
  case mergedWithNext = "MergedWithNext"
  case contiguous = "Contiguous"
}

enum PrependScheme: String, Sendable {
  case always, first, never
}

indirect enum TokenizerPreTokenizer: Sendable {
  case sequence([TokenizerPreTokenizer])
  case split(TextPattern, SplitBehavior, invert: Bool)
  /// `useRegex`: split with GPT-2's pattern first; then every UTF-8 byte becomes its alphabet character.
  case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
  case metaspace(replacement: Unicode.Scalar, prependScheme: PrependScheme, split: Bool)
  case digits(individual: Bool)

  /// GPT-2's pattern, as ByteLevel uses it (tokenizers/src/pre_tokenizers/byte_level.rs).
  static let gpt2Pattern = try! RegexMatcher(
    pattern: #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#)

  static func parse(_ value: JSONValue?, fileName: String, path: String = "pre_tokenizer")
    throws(TokenizationError) -> TokenizerPreTokenizer?
  {
    guard let value, !value.isNull else { return nil }
    let type = value["type"]?.stringValue
    func flag(_ key: String, _ fallback: Bool) throws(TokenizationError) -> Bool {
      guard let item = value[key], !item.isNull else { return fallback }
      guard let bool = item.boolValue else {
        throw TokenizationError("\(fileName): \(path).\(key) must be true or false")
      }
      return bool
    }
    switch type {
    case "Sequence":
      guard let items = value["pretokenizers"]?.arrayValue else {
        throw TokenizationError("\(fileName): \(path).pretokenizers must be an array")
      }
      var parts: [TokenizerPreTokenizer] = []
      for (index, item) in items.enumerated() {
        if let part = try parse(item, fileName: fileName, path: "\(path).pretokenizers[\(index)]") {
          parts.append(part)
        }
      }
      return .sequence(parts)
    case "Split":
      let pattern = try TextPattern(value["pattern"], fileName: fileName, what: "\(path).pattern")
      let name = value["behavior"]?.stringValue
      guard let behavior = name.flatMap(SplitBehavior.init(rawValue:)) else {
        throw TokenizationError(
          "\(fileName): \(path).behavior \(quoted(name ?? "none")) is not one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous"
        )
      }
      return .split(pattern, behavior, invert: try flag("invert", false))
    case "ByteLevel":
      return .byteLevel(
        addPrefixSpace: try flag("add_prefix_space", true), useRegex: try flag("use_regex", true))
    case "Metaspace":
      let replacement = try metaspaceReplacement(value, fileName: fileName, path: path)
      // Files before tokenizers 0.19 say add_prefix_space instead of prepend_scheme.
      let legacy = try flag("add_prefix_space", true)
      let schemeName = value["prepend_scheme"]?.stringValue ?? (legacy ? "always" : "never")
      guard let scheme = PrependScheme(rawValue: schemeName) else {
        throw TokenizationError(
          "\(fileName): \(path).prepend_scheme \(quoted(schemeName)) is not one of always, first, never")
      }
      return .metaspace(replacement: replacement, prependScheme: scheme, split: try flag("split", true))
    case "Digits":
      return .digits(individual: try flag("individual_digits", false))
    default:
      throw TokenizationError(
        "\(fileName): \(path).type \(quoted(type ?? "none")) is not supported (Split, ByteLevel, Metaspace, Digits, Sequence)"
      )
    }
  }

  /// Metaspace's replacement: exactly one character.
  static func metaspaceReplacement(_ value: JSONValue, fileName: String, path: String)
    throws(TokenizationError)
    -> Unicode.Scalar
  {
    guard let text = value["replacement"]?.stringValue, text.unicodeScalars.count == 1 else {
      throw TokenizationError("\(fileName): \(path).replacement must be one character")
    }
    return text.unicodeScalars.first!
  }

  func preTokenize(_ pieces: [TextPiece]) -> [TextPiece] {
    if case .sequence(let parts) = self { return parts.reduce(pieces) { $1.preTokenize($0) } }
    return pieces.flatMap { apply(to: $0) }.filter { !$0.scalars.isEmpty }
  }

  private func apply(to piece: TextPiece) -> [TextPiece] {
    switch self {
    case .sequence: return preTokenize([piece])
    case .split(let pattern, let behavior, let invert):
      let matches = pattern.findMatches(piece.scalars).map { ($0.range, $0.isMatch != invert) }
      return Self.split(piece, matches, behavior)
    case .byteLevel(let addPrefixSpace, let useRegex):
      var piece = piece
      if addPrefixSpace && piece.scalars.first != " " { piece.scalars.insert(" ", at: 0) }
      let parts =
        useRegex
        ? Self.split(
          piece, Self.gpt2Pattern.findMatches(RegexInput(piece.scalars)).map { ($0.range, $0.isMatch) },
          .isolated)
        : [piece]
      return parts.map { part in
        TextPiece(
          scalars: Array(part.scalars.string.utf8).map { ByteLevelAlphabet.characters[Int($0)] },
          atTextStart: part.atTextStart)
      }
    case .metaspace(let replacement, let scheme, let split):
      var piece = piece
      piece.scalars = piece.scalars.map { $0 == " " ? replacement : $0 }
      let prepend = scheme == .always || (scheme == .first && piece.atTextStart)
      if prepend && piece.scalars.first != replacement { piece.scalars.insert(replacement, at: 0) }
      guard split else { return [piece] }
      return Self.split(piece, TextPattern.literal([replacement]).findMatches(piece.scalars), .mergedWithNext)
    case .digits(let individual):
      // Rust's char::is_numeric: General_Category Nd, Nl or No.
      let numeric = piece.scalars.map { ScalarTraits.mask($0) & ScalarTraits.numberMask != 0 }
      var matches: [(Range<Int>, Bool)] = []
      for (index, isDigit) in numeric.enumerated() {
        if !isDigit, let last = matches.last, !last.1 {
          matches[matches.count - 1].0 = last.0.lowerBound..<(index + 1)
        } else {
          matches.append((index..<(index + 1), isDigit))
        }
      }
      return Self.split(piece, matches, individual ? .isolated : .contiguous)
    }
  }

  /// NormalizedString::split: the pieces a behavior makes of tagged ranges.
  static func split(_ piece: TextPiece, _ matches: [(Range<Int>, Bool)], _ behavior: SplitBehavior)
    -> [TextPiece]
  {
    var kept: [Range<Int>] = []
    var previousMatch = false
    switch behavior {
    case .isolated: kept = matches.map(\.0)
    case .removed: kept = matches.filter { !$0.1 }.map(\.0)
    case .contiguous:
      for (range, isMatch) in matches {
        if isMatch == previousMatch, let last = kept.last {
          kept[kept.count - 1] = last.lowerBound..<range.upperBound
        } else {
          kept.append(range)
        }
        previousMatch = isMatch
      }
    case .mergedWithPrevious:
      for (range, isMatch) in matches {
        if isMatch && !previousMatch, let last = kept.last {
          kept[kept.count - 1] = last.lowerBound..<range.upperBound
        } else {
          kept.append(range)
        }
        previousMatch = isMatch
      }
    case .mergedWithNext:
      for (range, isMatch) in matches.reversed() {
        if isMatch && !previousMatch, let last = kept.last {
          kept[kept.count - 1] = range.lowerBound..<last.upperBound
        } else {
          kept.append(range)
        }
        previousMatch = isMatch
      }
      kept.reverse()
    }
    return kept.map { range in
      TextPiece(scalars: Array(piece.scalars[range]), atTextStart: piece.atTextStart && range.lowerBound == 0)
    }
  }
}
