// Sanitising text printed outside curses, cell text for the wide-character calls, terminfo padding.
import CNcurses
import Render
import Testing

@testable import Terminal

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct SanitizingTests {
  @Test func escapeSequencesLoseTheirEscape() {
    #expect(sanitizedForTerminal("a\u{1B}[31mred\u{1B}[0m") == "a^[[31mred^[[0m")
    #expect(sanitizedForTerminal("\u{1B}]0;title\u{07}") == "^[]0;title^G")
  }

  @Test func everyControlCharacterIsVisible() {
    #expect(sanitizedForTerminal("tab\tline\nret\r\0del\u{7F}") == "tab^Iline^Jret^M^@del^?")
    #expect(sanitizedForTerminal("c1\u{9B}2J") == "c1\\u{9B}2J")
    #expect(sanitizedForTerminal("abc\u{202E}fed") == "abc\\u{202E}fed")
  }

  @Test func ordinaryTextIsUntouched() {
    let text = "model.layers.0.attn ▁the 日本 é 😀"
    #expect(sanitizedForTerminal(text) == text)
  }
}

/// wcwidth needs a UTF-8 LC_CTYPE, as TerminalScreen.open sets up. A machine with neither locale
/// reports the tests that need one as skipped, with this reason, instead of passing them unrun.
let utf8LocaleIsSet = setlocale(LC_CTYPE, "C.UTF-8") != nil || setlocale(LC_CTYPE, "en_US.UTF-8") != nil
let noUTF8Locale: Comment = "neither C.UTF-8 nor en_US.UTF-8 is installed"

@Suite struct CellTextTests {

  func text(_ character: Character, unicode: Bool = true) -> [UInt32] {
    TerminalScreen.cellText(character, unicode: unicode).map { UInt32(bitPattern: Int32($0)) }
  }

  @Test func asciiNeedsNoLocale() {
    #expect(text("a", unicode: false) == [0x61, 0])
    #expect(text("é", unicode: false) == [0x3F, 0])
  }

  @Test(.enabled(if: utf8LocaleIsSet, noUTF8Locale)) func oneColumnCharactersKeepTheirCombiningMarks() {
    #expect(text("█") == [0x2588, 0])
    #expect(text("e\u{301}") == [0x65, 0x301, 0])
  }

  @Test(.enabled(if: utf8LocaleIsSet, noUTF8Locale)) func whatWouldNotFitOneColumnBecomesAQuestionMark() {
    #expect(text("日") == [0x3F, 0])
    #expect(text("😀") == [0x3F, 0])
    #expect(text("\u{1B}") == [0x3F, 0])
    #expect(text("\u{301}") == [0x3F, 0])
  }

  /// The canvas gives a CJK token or an emoji two columns (a continuation cell after it): curses
  /// then gets the character itself, where it used to get "?" ('の' from a Marian vocabulary).
  @Test(.enabled(if: utf8LocaleIsSet, noUTF8Locale)) func wideCharactersInTwoColumnsAreDrawn() {
    func wide(_ character: Character) -> [UInt32] {
      TerminalScreen.cellText(character, unicode: true, columns: 2).map { UInt32(bitPattern: Int32($0)) }
    }
    #expect(wide("の") == [0x306E, 0])
    #expect(wide("日") == [0x65E5, 0])
    #expect(wide("😀") == [0x1F600, 0])
    #expect(wide("a") == [0x61, 0])  // ASCII needs no wcwidth
    #expect(wide("é") == [0x3F, 0])  // one column where the canvas counted two: refused
    #expect(TerminalText.columns(of: "の") == 2 && TerminalText.columns(of: "😀") == 2)
  }
}

@Suite struct TerminfoTests {
  @Test func paddingIsRemoved() {
    #expect(TerminalScreen.withoutPadding("\u{1B}[H$<5>") == "\u{1B}[H")
    #expect(TerminalScreen.withoutPadding("a$<2*/>b$<1>c") == "abc")
    #expect(TerminalScreen.withoutPadding("cost $5") == "cost $5")
    #expect(TerminalScreen.withoutPadding("$<unterminated") == "$<unterminated")
  }
}
