// GPT-2's pre-tokenisation pattern, matched by hand over Unicode scalars:
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// (openai/gpt-2 src/encoder.py; the `tokenizers` ByteLevel pre-tokenizer uses the same pattern).
// Alternatives are tried in order at each position, as a backtracking regex engine would; every
// scalar matches some alternative, so the pieces cover the text. Linear time, no recursion.

enum GPT2PreTokenizer {
  private enum Class { case letter, number, space, other }

  private static func classify(_ scalar: Unicode.Scalar) -> Class {
    // \s: the Unicode White_Space property.
    if scalar.properties.isWhitespace { return .space }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
      return .letter
    case .decimalNumber, .letterNumber, .otherNumber: return .number
    default: return .other
    }
  }

  private static let contractions: [[Unicode.Scalar]] = ["s", "t", "re", "ve", "m", "ll", "d"].map {
    Array($0.unicodeScalars)
  }

  /// The pieces of `text`, as half-open ranges of scalar offsets.
  static func pieces(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
    let classes = scalars.map(classify)
    let n = scalars.count
    var ranges: [Range<Int>] = []
    var i = 0
    /// End of the run of `kind` starting at `start` (start itself if none).
    func run(_ kind: Class, from start: Int) -> Int {
      var j = start
      while j < n, classes[j] == kind { j += 1 }
      return j
    }
    while i < n {
      let end = matchEnd(at: i, scalars, classes, run)
      ranges.append(i..<end)
      i = end
    }
    return ranges
  }

  private static func matchEnd(
    at i: Int, _ scalars: [Unicode.Scalar], _ classes: [Class], _ run: (Class, Int) -> Int
  ) -> Int {
    let n = scalars.count
    // 's 't 're 've 'm 'll 'd (ASCII apostrophe, case-sensitive).
    if scalars[i] == "'" {
      for suffix in contractions {
        if i + 1 + suffix.count <= n, Array(scalars[(i + 1)..<(i + 1 + suffix.count)]) == suffix {
          return i + 1 + suffix.count
        }
      }
    }
    // " ?" then a run of letters, numbers, or other symbols.
    let afterSpace = scalars[i] == " " ? i + 1 : i
    if afterSpace < n {
      let kind = classes[afterSpace]
      if kind != .space {
        return run(kind, afterSpace)
      }
    }
    // Whitespace: all of it at the end of the text; otherwise all but the last one, which then
    // joins the next word as its leading space (\s+(?!\S)); a single one stands alone (\s+).
    if classes[i] == .space {
      let end = run(.space, i)
      if end == n || end - 1 == i { return end }
      return end - 1
    }
    // Unreachable: a space without a following letter/number/other is whitespace above.
    return i + 1
  }
}
