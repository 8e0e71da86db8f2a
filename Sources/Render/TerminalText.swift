// The one sanitiser for text from files (tokens, class names, tensor names, a model's default
// text) on its way to a terminal: the TUI's canvas, the ANSI and SVG exporters, and every line the
// CLI prints (stdout and stderr) go through it. Lives in Render, which every output path imports.

public enum TerminalText {
  /// Code points that must never reach a terminal as they are: C0 controls, DEL and C1 controls
  /// (xterm takes U+009B as CSI and U+009D as OSC, even UTF-8 encoded), the bidirectional
  /// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069: "Trojan Source" reordering),
  /// and the line and paragraph separators U+2028/U+2029 (they split a one-line message).
  public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
    default: false
    }
  }

  /// Every unsafe code point replaced visibly: C0 in caret notation (ESC → `^[`, newline → `^J`),
  /// DEL as `^?`, the others as `\u{…}`. With ESC gone, what followed it (`[31m`) is plain text.
  public static func sanitized(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
    var output = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x00...0x1F:
        output.append("^")
        output.append(Unicode.Scalar(UInt8(scalar.value + 0x40)))
      case 0x7F:
        output.append(contentsOf: "^?".unicodeScalars)
      case _ where isUnsafe(scalar):
        output.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
      default:
        output.append(scalar)
      }
    }
    return String(output)
  }

  /// `sanitized` line by line: the newlines of multi-line output (CSV, tables) stay newlines.
  public static func sanitizedLines(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { sanitized(String($0)) }
      .joined(separator: "\n")
  }

  /// JSON as its encoder wrote it, with every unsafe code point that is still raw (the encoder
  /// escapes C0 only) written as a `\uXXXX` escape: the same data for a JSON reader, harmless on a
  /// terminal. They can only occur inside strings, where the escape means the same character.
  /// Tab, newline and carriage return stay: outside strings they are JSON's whitespace, and inside
  /// them the encoder has escaped them already.
  public static func escapingUnsafe(json bytes: [UInt8]) -> [UInt8] {
    func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
      isUnsafe(scalar) && scalar != "\t" && scalar != "\n" && scalar != "\r"
    }
    let text = String(decoding: bytes, as: UTF8.self)
    guard text.unicodeScalars.contains(where: needsEscape) else { return bytes }
    var output = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if needsEscape(scalar) {
        let hex = String(scalar.value, radix: 16)
        output.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
      } else {
        output.append(scalar)
      }
    }
    return Array(String(output).utf8)
  }
}

/// The sanitiser under its historical name (Terminal's messages use it).
public func sanitizedForTerminal(_ text: String) -> String { TerminalText.sanitized(text) }
