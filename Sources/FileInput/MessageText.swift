// File names and file contents quoted in one-line error messages: every loader's messages escape
// them the same way, so a crafted name can neither break the line nor drive the terminal.
import FileInput

/// Escapes characters that would break a one-line message or drive a terminal: C0/C1 controls,
/// DEL and the Unicode line/paragraph separators become `\u{XX}` (every loader's messages use it).
public func escapeControlCharacters(_ text: String) -> String {
  guard text.unicodeScalars.contains(where: needsEscape) else { return text }
  var out = String.UnicodeScalarView()
  for scalar in text.unicodeScalars {
    if needsEscape(scalar) {
      let hex = String(scalar.value, radix: 16, uppercase: true)
      out.append(contentsOf: "\\u{\(hex.count < 2 ? "0" + hex : hex)}".unicodeScalars)
    } else {
      out.append(scalar)
    }
  }
  return String(out)
}

private func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar.value {
  case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029: true
  default: false
  }
}
