// A whole frame made safe for a terminal without UTF-8: every character outside 7-bit ASCII is
// replaced by an ASCII look-alike (box drawing by - | +, arrows by < > ^ v, blocks by # and shades
// by . : #, accented letters by their base letter), or by "?" where there is none. Widgets already
// draw with `Glyphs.ascii`; this catches the rest (status separators, Greek letters, tokens).
import Foundation

extension Canvas {
  /// The same canvas with only ASCII characters; colours and attributes are kept.
  public func asciiTransliterated() -> Canvas {
    var copy = self
    for y in 0..<height {
      for x in 0..<width {
        let cell = self[x, y]
        // A wide character becomes "??", its continuation cell the second "?", so the row keeps its
        // columns (written past the subscript, which would blank the other half).
        if cell.isContinuation {
          copy.cells[y * width + x].character = "?"
        } else if !cell.character.isASCII {
          copy.cells[y * width + x].character = ASCIIFallback.character(for: cell.character)
        }
      }
    }
    return copy
  }
}

public enum ASCIIFallback {
  static let table: [Character: Character] = [
    "│": "|", "┃": "|", "║": "|", "─": "-", "━": "-", "═": "=",
    "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
    "→": ">", "←": "<", "↑": "^", "↓": "v", "▶": ">", "◀": "<", "▲": "^", "▼": "v",
    "█": "#", "▉": "#", "▊": "#", "▋": "#", "▌": "#", "▍": "#", "▎": "#", "▏": "#",
    "▀": "#", "▄": "#", "░": ".", "▒": ":", "▓": "#", "■": "*", "●": "*", "•": "*",
    "·": ".", "…": "~", "×": "x", "✗": "x", "✓": "v", "α": "a", "√": "V", "Σ": "E", "–": "-",
    "—": "-", "‘": "'", "’": "'", "“": "\"", "”": "\"", "≤": "<", "≥": ">", "−": "-",
  ]

  /// An ASCII stand-in for `character`.
  public static func character(for character: Character) -> Character {
    if let mapped = table[character] { return mapped }
    // Braille dots (the lines view): a dot where any is set.
    if let scalar = character.unicodeScalars.first, (0x2800...0x28FF).contains(scalar.value) {
      return scalar.value == 0x2800 ? " " : "."
    }
    // "è" → "e": decompose, keep the base letter if it is ASCII.
    if let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.first,
      base.isASCII, base.value >= 32
    {
      return Character(base)
    }
    return "?"
  }
}
