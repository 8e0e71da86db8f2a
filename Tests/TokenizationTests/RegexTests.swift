// The regex engine of the Split pre-tokenizer against Oniguruma (through `tokenizers`): every
// pattern of Fixtures/llm-regex on every text gives the same pieces; broken patterns are refused with
// a reason; pathological ones stay bounded.
import Foundation
import Testing

@testable import Tokenization

private struct RegexCase: Decodable {
  var pattern: String
  var text: String
  var pieces: [String]
}

private struct RegexCases: Decodable {
  var cases: [RegexCase]
}

/// Isolated split: every match and every gap a piece, empty pieces dropped.
func isolatedPieces(_ matcher: RegexMatcher, _ text: String) -> [String] {
  let input = RegexInput(Array(text.unicodeScalars))
  return matcher.findMatches(input).filter { !$0.range.isEmpty }.map {
    String(String.UnicodeScalarView(input.scalars[$0.range]))
  }
}

@Suite struct RegexTests {
  @Test func matchesOniguruma() throws {
    let url = TokenizerFixtures.directory.appendingPathComponent("llm-regex/expected.json")
    let cases = try JSONDecoder().decode(RegexCases.self, from: Data(contentsOf: url)).cases
    #expect(cases.count > 500)
    var matchers: [String: RegexMatcher] = [:]
    for item in cases {
      let matcher = try matchers[item.pattern] ?? RegexMatcher(pattern: item.pattern)
      matchers[item.pattern] = matcher
      let pieces = isolatedPieces(matcher, item.text)
      #expect(
        pieces.map { Array($0.utf8) } == item.pieces.map { Array($0.utf8) },
        "\(item.pattern) on \(item.text.debugDescription.prefix(60)): \(pieces) vs \(item.pieces)")
    }
  }

  @Test func brokenPatternsGiveAReason() {
    let refused: [(String, String)] = [
      ("(a", "a group is not closed"),
      ("a)", "unbalanced \")\" at character 2"),
      ("[abc", "a bracket expression is not closed"),
      ("*a", "nothing to repeat before \"*\" at character 1"),
      ("\\p{Klingon}", "the Unicode property \\p{Klingon} is not supported"),
      ("(?<=a)b", "lookbehind is not supported"),
      ("a++", "possessive quantifiers are not supported"),
      ("(\\w+)\\1", "the escape \"\\1\" is not supported"),
      ("[[:alpha:]]", "nested brackets and POSIX classes are not supported"),
      ("a(?!b+)", "a lookahead that can match more than 64 characters"),
      ("a{5,2}", "a repetition {5,2} whose maximum is below its minimum"),
      ("a{101}", "a repetition count above 100"),
      ("(?:a{100}){100}", "too large once its repetitions are expanded"),
      ("[z-a]", "a range whose end comes before its start"),
      ("\\", "a pattern that ends in \"\\\""),
    ]
    for (pattern, reason) in refused {
      #expect(throws: RegexSyntaxError(reason: reason), "\(pattern)") { try RegexMatcher(pattern: pattern) }
    }
  }

  @Test func literalBracesAreLiterals() throws {
    let matcher = try RegexMatcher(pattern: "a{|{}|{,}|b{x}")
    #expect(isolatedPieces(matcher, "a{{}{,}b{x}") == ["a{", "{}", "{,}", "b{x}"])
  }

  /// Patterns that make a backtracking engine explode stay linear here; `a*b|a` (quadratic for a
  /// leftmost-first engine rescanning) stops at its step budget and leaves the rest as one piece.
  @Test func pathologicalPatternsStayBounded() throws {
    let text = String(repeating: "a", count: 3_000)
    let nested = try RegexMatcher(pattern: "(a*)*b")
    #expect(isolatedPieces(nested, text) == [text])
    let rescanning = try RegexMatcher(pattern: "a*b|a")
    let pieces = isolatedPieces(rescanning, text)
    #expect(pieces.joined() == text)
    #expect(pieces.count < 3_000)
  }

  /// The matcher answers ASCII scalars from each class's two-word bitmap, built from whole words;
  /// it must agree with the class's own test on all 128 (random classes: ranges crossing 63/64 and
  /// 127/128, property masks, excluded masks as in `[\S\P{L}]`, negation, case-insensitivity).
  @Test func asciiBitmapsAgreeWithTheClassTest() throws {
    var random = SplitMix(seed: 7)
    let masks: [UInt64] = [
      0, ScalarTraits.whiteSpace, ScalarTraits.word, ScalarTraits.numberMask, ScalarTraits.groupMask("L"),
      ScalarTraits.groupMask("P"), ScalarTraits.bit(.uppercaseLetter), ScalarTraits.bit(.control), ~0,
    ]
    var classes: [ScalarClass] = []
    for _ in 0..<3_000 {
      var item = ScalarClass()
      for _ in 0..<(random.next() % 4) {
        let low = UInt32(random.next() % 200)
        item.ranges.append(low...(low + UInt32(random.next() % 70)))
      }
      item.mask = masks[random.next() % masks.count]
      if random.next() % 4 == 0 { item.excludedMasks = [masks[random.next() % masks.count]] }
      item.negated = random.next() % 2 == 0
      item.caseInsensitive = random.next() % 2 == 0
      classes.append(item)
    }
    for pattern in [
      #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"#, "(?i)[a-fXYZ0-9_]", "[\\S\\P{L}]",
    ] {
      classes += try RegexProgram(try RegexParser.parse(pattern)).classes
    }
    for item in classes {
      let bitmap = item.asciiBitmap
      for value in 0..<128 {
        let scalar = Unicode.Scalar(UInt8(value))
        let bit = (value < 64 ? bitmap.0 >> UInt64(value) : bitmap.1 >> UInt64(value - 64)) & 1 == 1
        #expect(bit == item.matches(scalar, traits: ScalarTraits.mask(scalar)), "\(item) at \(value)")
      }
    }
  }
}
