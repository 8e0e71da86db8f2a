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

@Suite struct CellTextTests {
  /// wcwidth needs a UTF-8 LC_CTYPE, as TerminalScreen.open sets up.
  func withUTF8(_ body: () -> Void) {
    guard setlocale(LC_CTYPE, "C.UTF-8") != nil || setlocale(LC_CTYPE, "en_US.UTF-8") != nil else { return }
    body()
  }

  func text(_ character: Character, unicode: Bool = true) -> [UInt32] {
    TerminalScreen.cellText(character, unicode: unicode).map { UInt32(bitPattern: Int32($0)) }
  }

  @Test func asciiNeedsNoLocale() {
    #expect(text("a", unicode: false) == [0x61, 0])
    #expect(text("é", unicode: false) == [0x3F, 0])
  }

  @Test func oneColumnCharactersKeepTheirCombiningMarks() {
    withUTF8 {
      #expect(text("█") == [0x2588, 0])
      #expect(text("e\u{301}") == [0x65, 0x301, 0])
    }
  }

  @Test func whatWouldNotFitOneColumnBecomesAQuestionMark() {
    withUTF8 {
      #expect(text("日") == [0x3F, 0])
      #expect(text("😀") == [0x3F, 0])
      #expect(text("\u{1B}") == [0x3F, 0])
      #expect(text("\u{301}") == [0x3F, 0])
    }
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
