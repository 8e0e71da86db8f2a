// The one error type of the GGUF module.
import FileInput

/// Why a GGUF file, one of its metadata values or one of its tensors was refused.
///
/// `description` is one line: `"<file>: key '<key>': <problem>"`, `"<file>: tensor '<name>':
/// <problem>"`, or `"<file>: <problem>"`. Every part is shown with control characters escaped
/// (`escapeControlCharacters`), and names longer than 200 characters are shortened with `…`, so a
/// hostile file can neither split the line nor drive the terminal.
public struct GGUFError: Error, CustomStringConvertible, Equatable, Sendable {
  public enum Subject: Equatable, Sendable {
    case key(String)
    case tensor(String)
  }

  /// The file's name (last path component).
  public let file: String
  /// The metadata key or tensor concerned, if any.
  public let subject: Subject?
  /// What is wrong, without the file and subject prefix.
  public let problem: String

  public init(file: String, subject: Subject? = nil, problem: String) {
    self.file = file
    self.subject = subject
    self.problem = problem
  }

  static let maxShownNameLength = 200

  public var description: String {
    var line = escapeControlCharacters(file) + ": "
    switch subject {
    case .key(let key): line += "key '" + GGUFError.shown(key) + "': "
    case .tensor(let name): line += "tensor '" + GGUFError.shown(name) + "': "
    case nil: break
    }
    return line + escapeControlCharacters(problem)
  }

  static func shown(_ name: String) -> String {
    let short =
      name.count > maxShownNameLength ? String(name.prefix(maxShownNameLength)) + "…" : name
    return escapeControlCharacters(short)
  }
}
