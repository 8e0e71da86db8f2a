// Makes untrusted text (tensor names, tokens from files) safe to print on a terminal outside curses.

/// Replaces every control character with a visible stand-in, so escape sequences hidden in the text
/// cannot move the cursor, change colours, set the title or switch screens.
/// C0 controls become caret notation (`ESC` → `^[`, newline → `^J`), DEL becomes `^?`, C1 controls
/// (which xterm also accepts as CSI, OSC, …) and bidirectional overrides become `\u{…}`. With ESC gone,
/// what followed it (`[31m`) is plain text.
public func sanitizedForTerminal(_ s: String) -> String {
  var output = String.UnicodeScalarView()
  for scalar in s.unicodeScalars {
    switch scalar.value {
    case 0x00...0x1F:
      output.append("^")
      output.append(Unicode.Scalar(UInt8(scalar.value + 0x40)))
    case 0x7F:
      output.append(contentsOf: "^?".unicodeScalars)
    case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069:
      output.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
    default:
      output.append(scalar)
    }
  }
  return String(output)
}
