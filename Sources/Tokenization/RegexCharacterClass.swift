// The character tests of tokenizer.json's regexes, with the Unicode definitions of Oniguruma (the
// engine `tokenizers` compiles Split patterns with; doc/RE and doc/UNICODE_PROPERTIES in
// kkos/oniguruma): \p{L} and friends are General_Category values, \s is White_Space (9–13, 0x85, Zs,
// Zl, Zp), \d is Nd, \w is Alphabetic, M, Nd, Pc and Join_Control. Each input scalar is classified
// once into a bit mask (`ScalarTraits`), so a class test is a mask test plus a few ranges.

/// Bits 0–29: the General_Category values; then the derived properties the escapes need.
struct ScalarTraits: Sendable {
  static let whiteSpace: UInt64 = 1 << 32
  static let word: UInt64 = 1 << 33

  static let categoryOrder: [Unicode.GeneralCategory] = [
    .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
    .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
    .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
    .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol,
    .modifierSymbol, .otherSymbol, .spaceSeparator, .lineSeparator, .paragraphSeparator, .control,
    .format, .surrogate, .privateUse, .unassigned,
  ]

  static func bit(_ category: Unicode.GeneralCategory) -> UInt64 { UInt64(1) << UInt64(index(category)) }

  /// The position of `category` in `categoryOrder`, by a switch: this runs once per scalar of text.
  private static func index(_ category: Unicode.GeneralCategory) -> Int {
    switch category {
    case .uppercaseLetter: 0
    case .lowercaseLetter: 1
    case .titlecaseLetter: 2
    case .modifierLetter: 3
    case .otherLetter: 4
    case .nonspacingMark: 5
    case .spacingMark: 6
    case .enclosingMark: 7
    case .decimalNumber: 8
    case .letterNumber: 9
    case .otherNumber: 10
    case .connectorPunctuation: 11
    case .dashPunctuation: 12
    case .openPunctuation: 13
    case .closePunctuation: 14
    case .initialPunctuation: 15
    case .finalPunctuation: 16
    case .otherPunctuation: 17
    case .mathSymbol: 18
    case .currencySymbol: 19
    case .modifierSymbol: 20
    case .otherSymbol: 21
    case .spaceSeparator: 22
    case .lineSeparator: 23
    case .paragraphSeparator: 24
    case .control: 25
    case .format: 26
    case .surrogate: 27
    case .privateUse: 28
    default: 29
    }
  }

  /// Nd, Nl and No: Rust's char::is_numeric, which the Digits pre-tokenizer uses.
  static let numberMask = groupMask("N")

  /// Marks, Nd and Pc: with Alphabetic and Join_Control, the \w set.
  private static let wordCategories: UInt64 =
    groupMask("M") | bit(.decimalNumber) | bit(.connectorPunctuation)

  /// The mask of one scalar; ASCII from a table, the rest from the scalar's properties.
  static func mask(_ scalar: Unicode.Scalar) -> UInt64 {
    scalar.value < 128 ? ascii[Int(scalar.value)] : compute(scalar)
  }

  private static let ascii: [UInt64] = (0..<128).map { compute(Unicode.Scalar(UInt8($0))) }

  /// The ASCII scalars (as two words, bit v for scalar v) whose mask shares a bit with `traits`.
  static func asciiWithAny(of traits: UInt64) -> (UInt64, UInt64) {
    guard traits != 0 else { return (0, 0) }
    var words: (UInt64, UInt64) = (0, 0)
    for value in 0..<64 where ascii[value] & traits != 0 { words.0 |= 1 << UInt64(value) }
    for value in 64..<128 where ascii[value] & traits != 0 { words.1 |= 1 << UInt64(value - 64) }
    return words
  }

  private static func compute(_ scalar: Unicode.Scalar) -> UInt64 {
    let properties = scalar.properties
    var mask = bit(properties.generalCategory)
    if properties.isWhitespace { mask |= whiteSpace }
    if mask & wordCategories != 0 || properties.isAlphabetic || properties.isJoinControl {
      mask |= word
    }
    return mask
  }

  /// A one-letter group (L, M, N, P, S, Z, C) as a mask.
  static func groupMask(_ letter: Character) -> UInt64 {
    categoryOrder.enumerated().reduce(0) { mask, entry in
      categoryLetter(entry.element) == letter ? mask | UInt64(1) << UInt64(entry.offset) : mask
    }
  }

  private static func categoryLetter(_ category: Unicode.GeneralCategory) -> Character {
    switch category {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: "L"
    case .nonspacingMark, .spacingMark, .enclosingMark: "M"
    case .decimalNumber, .letterNumber, .otherNumber: "N"
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation:
      "P"
    case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: "S"
    case .spaceSeparator, .lineSeparator, .paragraphSeparator: "Z"
    default: "C"
    }
  }

  /// The mask of a `\p{…}` name, compared as Oniguruma does: case, spaces, `_` and `-` ignored.
  static func property(_ name: String) -> UInt64? {
    let key = String(name.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" })
    if let letter = groups[key] { return groupMask(letter) }
    if let category = categories[key] { return bit(category) }
    switch key {
    case "space", "whitespace": return whiteSpace
    case "word": return word
    case "lc", "l&", "casedletter":
      return bit(.uppercaseLetter) | bit(.lowercaseLetter) | bit(.titlecaseLetter)
    case "any": return ~0
    default: return nil
    }
  }

  private static let groups: [String: Character] = [
    "l": "L", "letter": "L", "m": "M", "mark": "M", "combiningmark": "M", "n": "N", "number": "N",
    "p": "P", "punctuation": "P", "punct": "P", "s": "S", "symbol": "S", "z": "Z", "separator": "Z",
    "c": "C", "other": "C",
  ]

  private static let categories: [String: Unicode.GeneralCategory] = [
    "lu": .uppercaseLetter, "uppercaseletter": .uppercaseLetter, "ll": .lowercaseLetter,
    "lowercaseletter": .lowercaseLetter, "lt": .titlecaseLetter, "titlecaseletter": .titlecaseLetter,
    "lm": .modifierLetter, "modifierletter": .modifierLetter, "lo": .otherLetter, "otherletter": .otherLetter,
    "mn": .nonspacingMark, "nonspacingmark": .nonspacingMark, "mc": .spacingMark, "spacingmark": .spacingMark,
    "me": .enclosingMark, "enclosingmark": .enclosingMark, "nd": .decimalNumber,
    "decimalnumber": .decimalNumber,
    "digit": .decimalNumber, "nl": .letterNumber, "letternumber": .letterNumber, "no": .otherNumber,
    "othernumber": .otherNumber, "pc": .connectorPunctuation, "connectorpunctuation": .connectorPunctuation,
    "pd": .dashPunctuation, "dashpunctuation": .dashPunctuation, "ps": .openPunctuation,
    "openpunctuation": .openPunctuation, "pe": .closePunctuation, "closepunctuation": .closePunctuation,
    "pi": .initialPunctuation, "initialpunctuation": .initialPunctuation, "pf": .finalPunctuation,
    "finalpunctuation": .finalPunctuation, "po": .otherPunctuation, "otherpunctuation": .otherPunctuation,
    "sm": .mathSymbol, "mathsymbol": .mathSymbol, "sc": .currencySymbol, "currencysymbol": .currencySymbol,
    "sk": .modifierSymbol, "modifiersymbol": .modifierSymbol, "so": .otherSymbol, "othersymbol": .otherSymbol,
    "zs": .spaceSeparator, "spaceseparator": .spaceSeparator, "zl": .lineSeparator,
    "lineseparator": .lineSeparator, "zp": .paragraphSeparator, "paragraphseparator": .paragraphSeparator,
    "cc": .control, "control": .control, "cntrl": .control, "cf": .format, "format": .format,
    "cs": .surrogate, "surrogate": .surrogate, "co": .privateUse, "privateuse": .privateUse,
    "cn": .unassigned, "unassigned": .unassigned,
  ]
}

/// One bracket expression or escape: scalars and ranges, property masks, possibly negated.
struct ScalarClass: Sendable, Hashable {
  var ranges: [ClosedRange<UInt32>] = []
  var mask: UInt64 = 0
  /// Masks a scalar must *not* have (\S, \P{L} inside a class): each one is its own item.
  var excludedMasks: [UInt64] = []
  var negated = false
  var caseInsensitive = false

  static func scalar(_ value: UInt32) -> ScalarClass { ScalarClass(ranges: [value...value]) }

  /// The answer for every ASCII scalar, two 64-bit words: the matcher's fast path. Built from the
  /// ranges and masks as whole words (the same answers as `matches` for each of the 128 scalars,
  /// checked by `RegexTests.asciiBitmapsAgreeWithTheClassTest`): every compiled pattern builds these,
  /// and testing the 128 scalars one by one was 9 % of FuzzPreTokenizer's time.
  var asciiBitmap: (UInt64, UInt64) {
    var inRanges: (UInt64, UInt64) = (0, 0)
    for range in ranges where range.lowerBound < 128 {
      let high = min(range.upperBound, 127)
      inRanges.0 |= Self.bits(from: range.lowerBound, through: high, word: 0)
      inRanges.1 |= Self.bits(from: range.lowerBound, through: high, word: 1)
    }
    let masked = ScalarTraits.asciiWithAny(of: mask)
    var words = (inRanges.0 | masked.0, inRanges.1 | masked.1)
    for excluded in excludedMasks {
      // Scalars without any of the excluded traits: the complement of those with one.
      let with = ScalarTraits.asciiWithAny(of: excluded)
      words = (words.0 | ~with.0, words.1 | ~with.1)
    }
    if caseInsensitive {
      // ASCII letters fold to each other only: A–Z is bits 1–26 of the second word, a–z bits 33–58,
      // so a letter matches when its other case is in the ranges.
      let upper: UInt64 = 0x07FF_FFFE
      words.1 |= (inRanges.1 >> 32) & upper | (inRanges.1 & upper) << 32
    }
    return negated ? (~words.0, ~words.1) : words
  }

  /// Bits `low…high` (scalar values below 128) that fall in word `word` (0: 0–63, 1: 64–127).
  private static func bits(from low: UInt32, through high: UInt32, word: UInt32) -> UInt64 {
    let start = max(low, word * 64)
    let end = min(high, word * 64 + 63)
    guard start <= end else { return 0 }
    let count = UInt64(end - start + 1)
    let run: UInt64 = count == 64 ? ~0 : (1 << count) - 1
    return run << UInt64(start - word * 64)
  }

  func matches(_ scalar: Unicode.Scalar, traits: UInt64) -> Bool { matchesSlowly(scalar, traits: traits) }

  private func matchesSlowly(_ scalar: Unicode.Scalar, traits: UInt64) -> Bool {
    var hit = mask & traits != 0 || excludedMasks.contains { $0 & traits == 0 } || inRanges(scalar.value)
    if !hit && caseInsensitive {
      if scalar.isASCII {
        // ASCII letters fold to each other only (cheap, and most of the text).
        let value = scalar.value
        let other =
          (0x41...0x5A).contains(value) ? value + 32 : (0x61...0x7A).contains(value) ? value - 32 : value
        hit = other != value && inRanges(other)
      } else {
        hit = CaseFolding.anyVariant(of: scalar) { inRanges($0.value) }
      }
    }
    return hit != negated
  }

  private func inRanges(_ value: UInt32) -> Bool { ranges.contains { $0.contains(value) } }
}

/// Oniguruma's case-insensitive matching for single scalars: two scalars match when their simple
/// lower- or uppercase mappings agree (so "ſ" matches "s" and the Kelvin sign "k").
enum CaseFolding {
  /// Whether `test` holds for a variant of `scalar` other than itself. Tried one by one rather than
  /// collected into an array: this runs for every non-ASCII scalar a case-insensitive class tests.
  static func anyVariant(of scalar: Unicode.Scalar, _ test: (Unicode.Scalar) -> Bool) -> Bool {
    func lower(_ s: Unicode.Scalar) -> Unicode.Scalar { single(s.properties.lowercaseMapping) ?? s }
    func upper(_ s: Unicode.Scalar) -> Unicode.Scalar { single(s.properties.uppercaseMapping) ?? s }
    func holds(_ variant: Unicode.Scalar) -> Bool { variant != scalar && test(variant) }
    let lowered = lower(scalar)
    let uppered = upper(scalar)
    // Both round trips too: "ſ" → "S" → "s", the Kelvin sign → "k" → "K".
    return holds(lowered) || holds(uppered) || holds(lower(uppered)) || holds(upper(lowered))
  }

  private static func single(_ mapping: String) -> Unicode.Scalar? {
    let scalars = mapping.unicodeScalars
    return scalars.count == 1 ? scalars.first : nil
  }
}
