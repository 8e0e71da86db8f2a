// The one sanitiser every output path uses (RELIABILITY.md, "raw bytes from model files"): C0,
// DEL, C1 and bidi controls made visible in text, escaped in JSON, replaced on the canvas.
import Foundation
import Testing

@testable import Render

@Suite struct TerminalTextTests {
  /// Each code point class a hostile vocabulary, id2label or default_text could carry.
  static let hostile: [(String, String)] = [
    ("\u{1B}c", "^[c"),  // ESC c: full terminal reset
    ("\u{1B}]0;title\u{07}", "^[]0;title^G"),  // OSC: set the title
    ("\u{9B}2J", "\\u{9B}2J"),  // C1 CSI: clear the screen
    ("\u{9D}0;x\u{9C}", "\\u{9D}0;x\\u{9C}"),  // C1 OSC … ST
    ("\u{7F}", "^?"),
    ("a\u{202E}cba", "a\\u{202E}cba"),  // right-to-left override
    ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"),  // isolates
    ("one\u{2028}two", "one\\u{2028}two"),  // line separator
  ]

  @Test func everyUnsafeClassIsVisible() {
    for (raw, shown) in Self.hostile {
      #expect(TerminalText.sanitized(raw) == shown, "\(raw.debugDescription)")
      #expect(!TerminalText.sanitized(raw).unicodeScalars.contains(where: TerminalText.isUnsafe))
    }
    let text = "▁the 日本 é 😀 العربية"
    #expect(TerminalText.sanitized(text) == text)
  }

  @Test func linesKeepTheirNewlines() {
    #expect(TerminalText.sanitizedLines("a,\u{1B}[31m\nb,\u{9B}\n") == "a,^[[31m\nb,\\u{9B}\n")
  }

  /// JSON stays the same data (a decoder reads back the original string) but carries no raw C1 or
  /// bidi control; the encoder's own whitespace and escapes are untouched.
  @Test func jsonIsEscapedLosslessly() throws {
    let value = ["token": "x\u{9B}2J\u{202E}y\u{1B}c", "plain": "日本"]
    let encoded = try JSONEncoder().encode(value)
    let safe = TerminalText.escapingUnsafe(json: Array(encoded))
    #expect(!String(decoding: safe, as: UTF8.self).unicodeScalars.contains(where: TerminalText.isUnsafe))
    #expect(try JSONDecoder().decode([String: String].self, from: Data(safe)) == value)
    let pretty = Array("{\n\t\"a\" : 1\r\n}".utf8)
    #expect(TerminalText.escapingUnsafe(json: pretty) == pretty)
  }

  @Test func canvasReplacesBidiControlsToo() {
    var canvas = Canvas(width: 6, height: 1)
    canvas.put("a\u{202E}b\u{9B}c", x: 0, y: 0)
    #expect(canvas.lines == ["a?b?c "])
  }
}
