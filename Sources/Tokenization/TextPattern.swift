// The `pattern` of tokenizer.json's Split pre-tokenizer and Replace normalizer/decoder:
// {"String": "…"} (a literal) or {"Regex": "…"} (Oniguruma syntax, `RegexMatcher`). Both cut a text
// into pieces tagged match / not match, covering it in order (tokenizers/src/tokenizer/pattern.rs).
import JSON

enum TextPattern: Sendable {
  case literal([Unicode.Scalar])
  case regex(RegexMatcher)

  /// `what` names the pattern's place in the file ("pre_tokenizer.pattern") for the error line.
  init(_ value: JSONValue?, fileName: String, what: String) throws(TokenizationError) {
    if let text = value?["String"]?.stringValue {
      self = .literal(Array(text.unicodeScalars))
    } else if let pattern = value?["Regex"]?.stringValue {
      do { self = .regex(try RegexMatcher(pattern: pattern)) } catch {
        throw TokenizationError("\(fileName): \(what) regex \(quoted(pattern)) is refused: \(error.reason)")
      }
    } else {
      throw TokenizationError("\(fileName): \(what) must be {\"String\": …} or {\"Regex\": …}")
    }
  }

  func findMatches(_ scalars: [Unicode.Scalar]) -> [(range: Range<Int>, isMatch: Bool)] {
    switch self {
    case .regex(let matcher): return matcher.findMatches(RegexInput(scalars))
    case .literal(let needle):
      // An empty literal matches nothing; otherwise leftmost, non-overlapping occurrences.
      guard !needle.isEmpty, !scalars.isEmpty else { return [(0..<scalars.count, false)] }
      var pieces: [(range: Range<Int>, isMatch: Bool)] = []
      var previous = 0
      var index = 0
      while index + needle.count <= scalars.count {
        if scalars[index] == needle[0] && scalars[index..<(index + needle.count)].elementsEqual(needle) {
          if previous != index { pieces.append((previous..<index, false)) }
          pieces.append((index..<(index + needle.count), true))
          index += needle.count
          previous = index
        } else {
          index += 1
        }
      }
      if previous != scalars.count { pieces.append((previous..<scalars.count, false)) }
      return pieces
    }
  }

  /// Every match replaced by `content` (the Replace normalizer and decoder).
  func replacing(in scalars: [Unicode.Scalar], with content: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(scalars.count)
    for piece in findMatches(scalars) {
      if piece.isMatch { out += content } else { out += scalars[piece.range] }
    }
    return out
  }
}

extension Array where Element == Unicode.Scalar {
  var string: String { String(String.UnicodeScalarView(self)) }
}

/// A tokenizer.json Split regex on its own, for the fuzzer and the tests: the pieces it cuts a text
/// into with the Isolated behavior (every match and every gap, empty ones dropped).
public enum RegexSplit {
  public static func isolatedPieces(pattern: String, text: String) throws(TokenizationError) -> [String] {
    let matcher: RegexMatcher
    do { matcher = try RegexMatcher(pattern: pattern) } catch {
      throw TokenizationError("regex \(quoted(pattern)) is refused: \(error.reason)")
    }
    let input = RegexInput(Array(text.unicodeScalars))
    return matcher.findMatches(input).filter { !$0.range.isEmpty }.map {
      Array(input.scalars[$0.range]).string
    }
  }
}
