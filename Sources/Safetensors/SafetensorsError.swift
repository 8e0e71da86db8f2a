// The one error type of the Safetensors module.

/// Why a safetensors file (or a writer call) was rejected.
///
/// `description` is a single line: `"<file>: tensor '<name>': <problem>"`, or `"<file>: <problem>"`
/// when no tensor is involved. Control characters (C0, DEL, C1, U+2028/U+2029) in any part are
/// shown escaped, e.g. ESC as `\u{1B}`, so a hostile file cannot drive the terminal or split the
/// line; tensor names longer than 200 characters are shortened with `…`.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file's name (last path component), or `"safetensors writer"` for writer misuse.
  public let file: String
  /// The tensor concerned, if any.
  public let tensor: String?
  /// What is wrong, without the file and tensor prefix.
  public let problem: String

  public init(file: String, tensor: String? = nil, problem: String) {
    self.file = file
    self.tensor = tensor
    self.problem = problem
  }

  static let maxShownNameLength = 200

  public var description: String {
    var line = escapeControlCharacters(file) + ": "
    if let tensor {
      var shown = tensor
      if shown.count > SafetensorsError.maxShownNameLength {
        shown = String(shown.prefix(SafetensorsError.maxShownNameLength)) + "…"
      }
      line += "tensor '" + escapeControlCharacters(shown) + "': "
    }
    return line + escapeControlCharacters(problem)
  }
}

/// Escapes characters that would break a one-line message or drive a terminal: C0/C1 controls,
/// DEL and the Unicode line/paragraph separators become `\u{XX}`.
func escapeControlCharacters(_ text: String) -> String {
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
