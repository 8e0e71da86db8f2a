// Canvas → text with ANSI SGR escapes (ECMA-48), for pasting into an issue or piping to `less -R`.

public enum ANSIExporter {
  /// One line per canvas row, styles switched only where they change, reset at each line end.
  /// Trailing default cells are trimmed. Monochrome keeps only bold/underline/reverse.
  public static func render(_ canvas: Canvas, depth: ColorDepth) -> String {
    var output = ""
    for row in 0..<canvas.height {
      var last = canvas.width
      while last > 0, canvas[last - 1, row] == .blank { last -= 1 }
      var current: Cell? = nil
      for column in 0..<last {
        let cell = canvas[column, row]
        if current == nil || !sameStyle(current!, cell) {
          output += sgr(for: cell, depth: depth)
          current = cell
        }
        // The right half of a wide character: the terminal moves two columns for the left half.
        if !cell.isContinuation { output.append(cell.character) }
      }
      output += current == nil ? "\n" : "\u{1B}[0m\n"
    }
    return output
  }

  /// Same colours and attributes, so no new SGR sequence is needed between the two.
  public static func sameStyle(_ a: Cell, _ b: Cell) -> Bool {
    a.foreground == b.foreground && a.background == b.background && a.attributes == b.attributes
  }

  /// A full reset followed by the cell's attributes and colours.
  public static func sgr(for cell: Cell, depth: ColorDepth) -> String {
    var codes = ["0"]
    if cell.attributes.contains(.bold) { codes.append("1") }
    if cell.attributes.contains(.dim) { codes.append("2") }
    if cell.attributes.contains(.underline) { codes.append("4") }
    if cell.attributes.contains(.reverse) { codes.append("7") }
    if let code = colorCode(cell.foreground, depth: depth, background: false) { codes.append(code) }
    if let code = colorCode(cell.background, depth: depth, background: true) { codes.append(code) }
    return "\u{1B}[" + codes.joined(separator: ";") + "m"
  }

  static func colorCode(_ color: Color, depth: ColorDepth, background: Bool) -> String? {
    switch depth {
    case .monochrome: return nil
    case .trueColor:
      guard let (r, g, b) = color.rgbComponents else { return nil }
      if case .ansi = color { return ansi16Code(color, background: background) }
      return "\(background ? 48 : 38);2;\(r);\(g);\(b)"
    case .palette256:
      if case .ansi = color { return ansi16Code(color, background: background) }
      return color.paletteIndex.map { "\(background ? 48 : 38);5;\($0)" }
    case .ansi16: return ansi16Code(color, background: background)
    case .ansi8:
      guard let index = color.ansi8Index else { return nil }
      return String((background ? 40 : 30) + index)
    }
  }

  static func ansi16Code(_ color: Color, background: Bool) -> String? {
    guard let index = color.ansi16Index else { return nil }
    let base = (index < 8 ? 30 : 90) + (background ? 10 : 0)
    return String(base + index % 8)
  }
}
