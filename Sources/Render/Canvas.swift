// A grid of cells that every screen draws into first; terminals and exporters only ever read it.
// Modelled on ratatui's Buffer: widgets write cells, tests compare literal lines.

/// One terminal cell. `character` is a single grapheme; a wide one (CJK, emoji: two columns, see
/// `TerminalText.columns`) is followed by a `continuation` cell that the terminal and the exporters
/// skip, so that every row keeps exactly `width` columns.
public struct Cell: Hashable, Sendable {
  public var character: Character
  public var foreground: Color
  public var background: Color
  public var attributes: CellAttributes

  public init(
    _ character: Character = " ", foreground: Color = .terminalDefault,
    background: Color = .terminalDefault, attributes: CellAttributes = []
  ) {
    self.character = character
    self.foreground = foreground
    self.background = background
    self.attributes = attributes
  }

  public static let blank = Cell()

  /// The right half of a wide character (U+0000 never reaches a canvas otherwise: `put` replaces
  /// controls).
  public static let continuationCharacter: Character = "\u{0}"
  public var isContinuation: Bool { character == Cell.continuationCharacter }
  /// Columns this cell's character takes: 2 for a wide one, whose right half is the next cell.
  public var columns: Int { isContinuation ? 0 : TerminalText.columns(of: character) }
}

/// A rectangle of cells, row-major. Writes outside the rectangle are clipped, never a crash.
public struct Canvas: Hashable, Sendable {
  public let width: Int
  public let height: Int
  public internal(set) var cells: [Cell]

  public init(width: Int, height: Int, fill: Cell = .blank) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: fill, count: self.width * self.height)
  }

  /// A canvas whose characters are the given lines (padded with blanks), for tests.
  public init(lines: [String]) {
    let width = lines.map { TerminalText.columns(of: $0) }.max() ?? 0
    self.init(width: width, height: lines.count)
    for (row, line) in lines.enumerated() { put(line, x: 0, y: row) }
  }

  public subscript(x: Int, y: Int) -> Cell {
    get { contains(x: x, y: y) ? cells[y * width + x] : .blank }
    set {
      guard contains(x: x, y: y) else { return }
      let index = y * width + x
      // Overwriting either half of a wide character blanks its other half (as a terminal does),
      // so no row ever holds half a character.
      if cells[index].isContinuation, x > 0, !newValue.isContinuation {
        cells[index - 1].character = " "
      }
      if x + 1 < width, cells[index + 1].isContinuation, !cells[index].isContinuation {
        cells[index + 1].character = " "
      }
      // A continuation only follows the left half of a wide character; anywhere else it is a blank.
      if newValue.isContinuation, x == 0 || cells[index - 1].columns != 2 {
        cells[index] = Cell(
          " ", foreground: newValue.foreground, background: newValue.background,
          attributes: newValue.attributes)
        return
      }
      cells[index] = newValue
    }
  }

  public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

  /// Writes `text` from (x, y) rightwards, each character taking its own width (1, or 2 for CJK and
  /// emoji: `TerminalText.columns`), clipped at `maxWidth` and the edge; a wide character that
  /// would straddle the limit is not written. Returns the number of columns written.
  @discardableResult
  public mutating func put(
    _ text: String, x: Int, y: Int, foreground: Color = .terminalDefault,
    background: Color = .terminalDefault, attributes: CellAttributes = [], maxWidth: Int = .max
  ) -> Int {
    var column = x
    for character in text {
      let shown = Canvas.printable(character)
      let columns = TerminalText.columns(of: shown)
      if column - x + columns > maxWidth || column + columns > width { break }
      self[column, y] = Cell(shown, foreground: foreground, background: background, attributes: attributes)
      if columns == 2 {
        self[column + 1, y] = Cell(
          Cell.continuationCharacter, foreground: foreground, background: background,
          attributes: attributes)
      }
      column += columns
    }
    return column - x
  }

  /// Fills a rectangle with one cell.
  public mutating func fill(x: Int, y: Int, width: Int, height: Int, with cell: Cell) {
    for row in max(0, y)..<min(self.height, y + height) {
      for column in max(0, x)..<min(self.width, x + width) { self[column, row] = cell }
    }
  }

  /// Copies another canvas onto this one with its top-left corner at (x, y).
  public mutating func blit(_ other: Canvas, x: Int, y: Int) {
    for row in 0..<other.height {
      for column in 0..<other.width { self[x + column, y + row] = other[column, row] }
    }
  }

  /// `parts` one below the other, a blank row between them (one picture for a headless export).
  public static func stacked(_ parts: [Canvas]) -> Canvas {
    var canvas = Canvas(width: parts.map(\.width).max() ?? 0, height: parts.reduce(0) { $0 + $1.height + 1 })
    var y = 0
    for part in parts {
      canvas.blit(part, x: 0, y: y)
      y += part.height + 1
    }
    return canvas
  }

  /// The characters of each row as a terminal shows them (a wide character once, its continuation
  /// cell left out), trailing blanks kept, for snapshot tests.
  public var lines: [String] {
    (0..<height).map { row in
      String(cells[(row * width)..<(row * width + width)].lazy.filter { !$0.isContinuation }.map(\.character))
    }
  }

  /// Control characters (and escape sequences they start) and bidi overrides must never reach the
  /// terminal: the same set as every other output path (`TerminalText.isUnsafe`).
  static func printable(_ character: Character) -> Character {
    character.unicodeScalars.contains(where: TerminalText.isUnsafe) ? "?" : character
  }
}
