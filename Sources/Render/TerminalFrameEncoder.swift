// The bytes that bring a VT100/xterm-compatible terminal from one Canvas to the next: the first
// frame clears the screen and writes every cell, later frames only the runs of cells that changed,
// each run placed with CUP (ESC [ row ; col H) and styled with the ANSI exporter's SGR. This is
// what `--record` stores per frame (asciicast v2 "o" events): the viewer's own frames, not a copy
// of ncurses's byte stream, which ncurses writes to the terminal's descriptor directly.

public struct TerminalFrameEncoder: Sendable {
  private var previous: Canvas?

  public init() {}

  /// Entering: the alternate screen, cursor hidden (as the TUI does).
  public static let enter = "\u{1B}[?1049h\u{1B}[?25l"
  /// Leaving: attributes reset, cursor shown, the normal screen back.
  public static let leave = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"

  /// The update from the previous frame to `canvas` ("" when nothing changed). A new size repaints
  /// everything.
  public mutating func encode(_ canvas: Canvas, depth: ColorDepth) -> String {
    let last = previous?.width == canvas.width && previous?.height == canvas.height ? previous : nil
    var output = last == nil ? "\u{1B}[0m\u{1B}[H\u{1B}[2J" : ""
    var style: Cell? = nil
    for row in 0..<canvas.height {
      var column = 0
      while column < canvas.width {
        if let last, last[column, row] == canvas[column, row] {
          column += 1
          continue
        }
        // A cleared screen is blank already: skip leading blanks of the first frame.
        if last == nil, canvas[column, row] == .blank {
          column += 1
          continue
        }
        output += "\u{1B}[\(row + 1);\(column + 1)H"
        while column < canvas.width {
          let cell = canvas[column, row]
          if let last, last[column, row] == cell { break }
          if last == nil, cell == .blank { break }
          if style == nil || !ANSIExporter.sameStyle(style!, cell) {
            output += ANSIExporter.sgr(for: cell, depth: depth)
            style = cell
          }
          output.append(cell.character)
          column += 1
        }
      }
    }
    previous = canvas
    return output
  }
}
