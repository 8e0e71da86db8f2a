// A titled block of wrapped text that scrolls: help, the Q·K arithmetic, model notes.
// Layout follows ratatui's Paragraph inside a Block: the title sits in the border, text wraps at words.

public struct TextPane {
  public var title: String?
  /// Paragraphs separated by "\n"; an empty line is kept as a blank line.
  public var text: String
  /// The first wrapped line shown; clamped when drawn, so callers may over-scroll.
  public var scroll = 0
  public var bordered = true
  public var glyphs: Glyphs = .unicode
  public var attributes: CellAttributes = []

  public init(title: String? = nil, text: String) {
    self.title = title
    self.text = text
  }

  /// The text area inside a `width` × `height` pane (a title without a border takes a line).
  public func textArea(width: Int, height: Int) -> (width: Int, height: Int) {
    if bordered { return (max(0, width - 2), max(0, height - 2)) }
    return (max(0, width), max(0, height - (title == nil ? 0 : 1)))
  }

  /// The largest useful `scroll` for this size: the last line at the bottom.
  public func maxScroll(width: Int, height: Int) -> Int {
    let area = textArea(width: width, height: height)
    return max(0, TextWrapping.wrap(text, width: area.width).count - area.height)
  }

  /// Draws the pane. Arrows in the right border (or column) say there is more above or below.
  public func draw(into canvas: inout Canvas, x: Int, y: Int, width: Int, height: Int) {
    guard width > 0, height > 0 else { return }
    var (left, top) = (x, y)
    if bordered {
      (left, top, _, _) = BoxBorder.draw(
        into: &canvas, x: x, y: y, width: width, height: height, title: title, glyphs: glyphs)
    } else if let title {
      canvas.put(
        Heatmap.fitted(title, width, ellipsis: glyphs.ellipsis), x: x, y: y,
        attributes: attributes.union(.bold))
      top += 1
    }
    let area = textArea(width: width, height: height)
    guard area.width > 0, area.height > 0 else { return }
    let lines = TextWrapping.wrap(text, width: area.width)
    let first = Viewport.clamped(start: scroll, count: lines.count, visible: area.height)
    for (offset, line) in lines.dropFirst(first).prefix(area.height).enumerated() {
      canvas.put(line, x: left, y: top + offset, attributes: attributes, maxWidth: area.width)
    }
    let arrowX = x + width - 1
    if first > 0 { canvas[arrowX, top] = Cell(glyphs.arrowUp, attributes: [.bold]) }
    if first + area.height < lines.count {
      canvas[arrowX, top + area.height - 1] = Cell(glyphs.arrowDown, attributes: [.bold])
    }
  }
}

public enum TextWrapping {
  /// Greedy word wrap to `width` columns: words move whole to the next line, words longer than a line
  /// are cut, runs of spaces (leading ones too) collapse to one. One character is one column.
  public static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      for word in paragraph.split(separator: " ") {
        var word = Substring(word)
        if !line.isEmpty, line.count + 1 + word.count <= width {
          line += " " + word
          continue
        }
        if !line.isEmpty { lines.append(line) }
        while word.count > width {
          lines.append(String(word.prefix(width)))
          word = word.dropFirst(width)
        }
        line = String(word)
      }
      lines.append(line)
    }
    return lines
  }
}
