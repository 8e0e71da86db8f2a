// The one error type of the Safetensors module.
import FileInput
import JSON

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
