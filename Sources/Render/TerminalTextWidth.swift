// How many terminal columns text takes (UAX #11 East Asian Width, as glibc's wcwidth and so
// ncurses count them): every screen lays out, truncates and pads by this, never by `String.count`,
// so a CJK token or an emoji takes the two columns the terminal gives it.

extension TerminalText {
  /// Columns one grapheme takes: 2 when its first code point is wide (W or F), else 1. Combining
  /// marks and variation selectors inside the grapheme add nothing (the terminal stacks them).
  public static func columns(of character: Character) -> Int {
    if character.isASCII { return 1 }
    guard let first = character.unicodeScalars.first else { return 1 }
    return isWide(first) ? 2 : 1
  }

  /// Columns a whole string takes.
  public static func columns(of text: String) -> Int {
    var total = 0
    for character in text { total += columns(of: character) }
    return total
  }

  /// The longest prefix of `text` that fits in `width` columns (a wide character that would
  /// straddle the limit is left out whole).
  public static func prefix(_ text: String, columns width: Int) -> String {
    var used = 0
    var end = text.startIndex
    for index in text.indices {
      let next = used + columns(of: text[index])
      if next > width { break }
      used = next
      end = text.index(after: index)
    }
    return String(text[..<end])
  }

  /// `text` padded with spaces on the right to `width` columns (never cut).
  public static func padded(_ text: String, columns width: Int) -> String {
    let missing = width - columns(of: text)
    return missing > 0 ? text + String(repeating: " ", count: missing) : text
  }

  static func isWide(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    guard value >= 0x1100 else { return false }
    // Binary search over the sorted, disjoint ranges.
    var (low, high) = (0, wideRanges.count - 1)
    while low <= high {
      let middle = (low + high) / 2
      let range = wideRanges[middle]
      if value < range.lowerBound {
        high = middle - 1
      } else if value > range.upperBound {
        low = middle + 1
      } else {
        return true
      }
    }
    return false
  }
}
