// Everything the CLI prints goes through here, so text that came from a model's files (vocabulary
// pieces, class names, unknown words in a notice, a default_text, a folder name in an error) is
// sanitised on every path (Render's TerminalText): stdout lines, notices and errors on stderr, and
// JSON (whose encoder escapes C0 but leaves C1 and bidi controls raw).
import Foundation
import Render

enum Output {
  /// One line on stdout, sanitised.
  static func line(_ text: String) { write(TerminalText.sanitized(text) + "\n", to: .standardOutput) }

  /// Multi-line text (a CSV table) on stdout, sanitised line by line.
  static func text(_ text: String) { write(TerminalText.sanitizedLines(text), to: .standardOutput) }

  /// What an exporter rendered from a Canvas (ANSI colour sequences, SVG): its text went through
  /// the canvas's sanitiser already, and its own escape sequences must stay.
  static func rendered(_ text: String) { write(text, to: .standardOutput) }

  /// Encoded JSON and a newline, with the unsafe code points left raw by the encoder escaped.
  static func json(_ data: Data) {
    let bytes = TerminalText.escapingUnsafe(json: Array(data))
    FileHandle.standardOutput.write(Data(bytes) + Data("\n".utf8))
  }

  /// "attnscope: <notice>" on stderr, one line.
  static func notice(_ text: String) { write(errorLine(text) + "\n", to: .standardError) }

  /// A message as one stderr line: newlines folded to spaces, then sanitised, prefixed once.
  static func errorLine(_ text: String) -> String {
    let folded = String(text.map { $0.isNewline ? " " : $0 })
    let line = TerminalText.sanitized(folded)
    return line.hasPrefix("attnscope: ") ? line : "attnscope: " + line
  }

  private static func write(_ text: String, to handle: FileHandle) { handle.write(Data(text.utf8)) }
}
