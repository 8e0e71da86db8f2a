// Copies a Canvas to the curses screen, writing only the cells that changed since the last draw.
// Wide-character output per curs_add_wch(3X) and curs_getcchar(3X) (setcchar); refresh per
// curs_refresh(3X) (wnoutrefresh + doupdate).

import CNcurses
import Render

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension TerminalScreen {
  /// Shows `canvas` from the top-left corner, clipped to the screen. Cells outside the canvas
  /// are blank. After a resize, `invalidate()` or a change of canvas size every cell is repainted.
  ///
  /// The bottom-right cell is written like any other: at that position wadd_wch stores the cell
  /// and then returns ERR because the cursor cannot advance (scrollok is off, so nothing scrolls).
  /// doupdate draws that corner without scrolling the terminal (it turns auto-margins off or uses
  /// insert-character, as terminfo allows), so the return value is ignored there on purpose.
  public func draw(_ canvas: Canvas) {
    guard isOpen else { return }
    let screenSize = size
    let full =
      needsFullRedraw || previous?.width != canvas.width || previous?.height != canvas.height
      || previousScreenSize != screenSize
    if !writeCells(canvas, full: full, screenSize: screenSize, degradeWhenOutOfPairs: false) {
      // Every colour pair is taken: define them afresh and repaint, since cells on the screen
      // keep their old pair numbers. A canvas needing more pairs than exist gets pair 0 beyond that.
      pairTable.reset()
      clearok(attn_curscr(), true)
      _ = writeCells(canvas, full: true, screenSize: screenSize, degradeWhenOutOfPairs: true)
    }
    wnoutrefresh(window)
    doupdate()
    previous = canvas
    previousScreenSize = screenSize
    needsFullRedraw = false
  }

  /// Returns false (having stopped early) when the pair table is full and degrading is not allowed.
  private func writeCells(
    _ canvas: Canvas, full: Bool, screenSize: (width: Int, height: Int), degradeWhenOutOfPairs: Bool
  ) -> Bool {
    if full { werase(window) }
    let last = full ? nil : previous
    var glyph = cchar_t()
    for y in 0..<min(canvas.height, screenSize.height) {
      for x in 0..<min(canvas.width, screenSize.width) {
        let index = y * canvas.width + x
        let cell = canvas.cells[index]
        // The right half of a wide character: curses fills it when it draws the left half.
        if cell.isContinuation { continue }
        if let last, last.cells[index] == cell, !Self.continuationChanged(canvas, last, index) { continue }
        let colors = colorMapper.resolve(foreground: cell.foreground, background: cell.background)
        var pair = pairTable.pair(foreground: colors.foreground, background: colors.background) {
          attn_init_pair($0, $1, $2) == OK
        }
        if pair == nil {
          guard degradeWhenOutOfPairs else { return false }
          pair = 0
        }
        var attributes = cursesAttributes(cell.attributes)
        if colors.brightBold { attributes |= attn_attr_bold() }
        // A wide character needs both columns on the screen; at the right edge it becomes a blank.
        let columns = cell.columns == 2 && x + 1 < screenSize.width ? 2 : 1
        let drawn = setGlyph(
          &glyph, cell.columns == 2 && columns == 1 ? " " : cell.character, columns: columns,
          attributes: attributes, pair: pair ?? 0)
        mvwadd_wch(window, Int32(y), Int32(x), &glyph)
        if columns == 2, drawn == 1 {
          // curses took it for one column ("?" or a narrower wcwidth): blank the second.
          setGlyph(&glyph, " ", columns: 1, attributes: attributes, pair: pair ?? 0)
          mvwadd_wch(window, Int32(y), Int32(x + 1), &glyph)
        }
      }
    }
    return true
  }

  /// Whether the cell after `index` went from a wide character's half to something else (or
  /// back), which needs the left cell redrawn even though it compares equal.
  static func continuationChanged(_ canvas: Canvas, _ last: Canvas, _ index: Int) -> Bool {
    let next = index + 1
    guard next < canvas.cells.count, next % canvas.width != 0 else { return false }
    return canvas.cells[next].isContinuation != last.cells[next].isContinuation
  }

  private func cursesAttributes(_ attributes: CellAttributes) -> attr_t {
    var result: attr_t = 0
    if attributes.contains(.bold) { result |= attn_attr_bold() }
    if attributes.contains(.dim) { result |= attn_attr_dim() }
    if attributes.contains(.underline) { result |= attn_attr_underline() }
    if attributes.contains(.reverse) { result |= attn_attr_reverse() }
    return result
  }

  /// Sets `glyph` to the cell's text; returns the columns curses will give it (1 when it fell
  /// back to "?").
  @discardableResult
  private func setGlyph(
    _ glyph: inout cchar_t, _ character: Character, columns: Int, attributes: attr_t, pair: Int32
  ) -> Int {
    var text = Self.cellText(character, unicode: unicodeOutput, columns: columns)
    var drawn = text.count > 1 && text[0] != wchar_t(UInt8(ascii: "?")) ? columns : 1
    var status = text.withUnsafeBufferPointer { attn_setcchar(&glyph, $0.baseAddress, attributes, pair) }
    if status != OK {
      text = [wchar_t(UInt8(ascii: "?")), 0]
      drawn = 1
      status = text.withUnsafeBufferPointer { attn_setcchar(&glyph, $0.baseAddress, attributes, pair) }
    }
    return drawn
  }

  /// The NUL-terminated wide string for one cell: a spacing character of the width the canvas
  /// gave it (`columns`: 1, or 2 for CJK and emoji, whose right half the canvas keeps as a
  /// continuation cell) followed by combining characters (at most CCHARW_MAX in all). Anything
  /// whose wcwidth disagrees (controls, a lone combining mark, a wide character in a one-column
  /// cell) becomes "?", since a cell that spills into the next column would shift the rest of the
  /// row. A wide character used to be refused outright, so a Marian token 'の' showed as "?".
  static func cellText(_ character: Character, unicode: Bool, columns: Int = 1) -> [wchar_t] {
    let question: [wchar_t] = [wchar_t(UInt8(ascii: "?")), 0]
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return question }
    if scalars.count == 1, (0x20..<0x7F).contains(first.value) { return [wchar_t(first.value), 0] }
    guard unicode, attn_wcwidth(wchar_t(first.value)) == Int32(columns) else { return question }
    var text = [wchar_t(first.value)]
    for scalar in scalars.dropFirst() {
      // A second spacing character (emoji sequences) cannot share the cell; keep the first.
      guard text.count < Int(CCHARW_MAX), attn_wcwidth(wchar_t(scalar.value)) == 0 else { break }
      text.append(wchar_t(scalar.value))
    }
    return text + [0]
  }
}
