// A rectangle's outline with an optional title set into its top edge ("┌─ title ───┐"), as
// ratatui's Block draws it; ASCII terminals get "+- title ---+".

public enum BoxBorder {
  /// Draws the outline of a `width` × `height` box at (x, y); the title is shortened to fit.
  /// Boxes smaller than 2 × 2 have no inside and are not drawn. Returns the inner rectangle.
  @discardableResult
  public static func draw(
    into canvas: inout Canvas, x: Int, y: Int, width: Int, height: Int, title: String? = nil,
    glyphs: Glyphs = .unicode, attributes: CellAttributes = [], foreground: Color = .terminalDefault
  ) -> (x: Int, y: Int, width: Int, height: Int) {
    guard width >= 2, height >= 2 else { return (x, y, 0, 0) }
    let box = glyphs.box
    func cell(_ character: Character) -> Cell {
      Cell(character, foreground: foreground, attributes: attributes)
    }
    for column in (x + 1)..<(x + width - 1) {
      canvas[column, y] = cell(box.horizontal)
      canvas[column, y + height - 1] = cell(box.horizontal)
    }
    for row in (y + 1)..<(y + height - 1) {
      canvas[x, row] = cell(box.vertical)
      canvas[x + width - 1, row] = cell(box.vertical)
    }
    canvas[x, y] = cell(box.topLeft)
    canvas[x + width - 1, y] = cell(box.topRight)
    canvas[x, y + height - 1] = cell(box.bottomLeft)
    canvas[x + width - 1, y + height - 1] = cell(box.bottomRight)
    // "┌─ title ─┐": one rule before the title and a space either side; needs width ≥ 6.
    if let title, !title.isEmpty, width >= 6 {
      let fitted = Heatmap.fitted(title, width - 5, ellipsis: glyphs.ellipsis)
      canvas.put(
        " " + fitted + " ", x: x + 2, y: y, foreground: foreground, attributes: attributes.union(.bold))
    }
    return (x + 1, y + 1, width - 2, height - 2)
  }
}
