// Why the full-screen terminal could not be opened, as one line the CLI prints before exiting.

import Render

public struct TerminalError: Error, CustomStringConvertible, Equatable {
  public let message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }

  static let notATerminal = TerminalError(
    "attnscope: standard input and output must be a terminal for the interactive view; "
      + "use `attnscope attention --format ansi` for text output")

  static let alreadyOpen = TerminalError("attnscope: the terminal is already in use by another screen")

  static func cannotAddressCursor(_ term: String?) -> TerminalError {
    TerminalError(
      "attnscope: terminal type \"\(sanitizedForTerminal(term ?? ""))\" cannot move the cursor; "
        + "use `attnscope attention --format ansi` for text output")
  }

  static func unknownTerminal(_ term: String?) -> TerminalError {
    guard let term, !term.isEmpty else {
      return TerminalError("attnscope: TERM is not set; set it (e.g. TERM=xterm-256color) and try again")
    }
    return TerminalError(
      "attnscope: unknown terminal type \"\(sanitizedForTerminal(term))\" (no terminfo entry); "
        + "try TERM=xterm-256color")
  }
}
