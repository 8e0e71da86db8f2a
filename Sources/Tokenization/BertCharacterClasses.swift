// Character classes BERT's basic tokenizer uses, on Unicode scalars (Python iterates code points):
// `_is_whitespace`, `_is_control`, `_is_punctuation` and `_is_chinese_char` from transformers'
// tokenization_python.py / tokenization_bert_legacy.py, plus Python's own `str.isspace`, `str.lower`.

enum BertCharacterClasses {
  /// BERT's whitespace: space, \t, \n, \r and category Zs.
  static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case " ", "\t", "\n", "\r": return true
    default: return scalar.properties.generalCategory == .spaceSeparator
    }
  }

  /// BERT's control characters: category C* except \t, \n, \r (counted as whitespace).
  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "\t", "\n", "\r": return false
    default:
      switch scalar.properties.generalCategory {
      case .control, .format, .surrogate, .privateUse, .unassigned: return true
      default: return false
      }
    }
  }

  /// All non-letter, non-digit ASCII ("^", "$", "`" too) plus Unicode P*.
  static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) {
      return true
    }
    switch scalar.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation:
      return true
    default: return false
    }
  }

  /// The CJK Unified Ideographs blocks (not Hangul, Hiragana or Katakana).
  static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
      0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
      return true
    default: return false
    }
  }

  /// Python's `str.isspace` (bidirectional class WS, B or S, or category Zs), which `str.split()`
  /// splits on; wider than BERT's whitespace (U+001C–001F, U+0085, U+2028, U+2029 …).
  static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F,
      0x205F, 0x3000:
      return true
    default: return false
    }
  }

  /// Python's `str.split()` with no separator: runs of `isPythonSpace` separate, none are kept.
  static func splitOnPythonSpace(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
    var words: [[Unicode.Scalar]] = []
    var current: [Unicode.Scalar] = []
    for scalar in scalars {
      if isPythonSpace(scalar) {
        if !current.isEmpty { words.append(current) }
        current.removeAll(keepingCapacity: true)
      } else {
        current.append(scalar)
      }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }

  /// Python's `str.lower()`: full lowercase mappings, and capital sigma becomes final ς when it
  /// ends a word (Unicode's Final_Sigma context, as CPython's `handle_capital_sigma`).
  static func pythonLowercased(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(scalars.count)
    for (i, scalar) in scalars.enumerated() {
      if scalar == "\u{03A3}" {
        out.append(isFinalSigma(scalars, at: i) ? "\u{03C2}" : "\u{03C3}")
      } else if scalar.isASCII {
        out.append(scalar.value >= 65 && scalar.value <= 90 ? Unicode.Scalar(scalar.value + 32)! : scalar)
      } else {
        out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
      }
    }
    return out
  }

  private static func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
    var j = index - 1
    while j >= 0, scalars[j].properties.isCaseIgnorable { j -= 1 }
    guard j >= 0, scalars[j].properties.isCased else { return false }
    j = index + 1
    while j < scalars.count, scalars[j].properties.isCaseIgnorable { j += 1 }
    return j == scalars.count || !scalars[j].properties.isCased
  }
}
