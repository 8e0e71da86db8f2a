// Canvas → a standalone SVG (for papers and slides): the cell grid at a fixed size, backgrounds as
// rectangles merged along rows, text in runs. Like asciinema's agg and Rich's `export_svg`, but with
// no embedded font: any monospace font is stretched to the grid with `textLength`.

public enum SVGExporter {
  /// Cell size in pixels: 8 × 16, the VGA text-mode proportion most terminal fonts approximate.
  public static let cellWidth = 8
  public static let cellHeight = 16
  /// The default colours, a dark terminal theme: background #1e1e1e, foreground #d4d4d4.
  public static let defaultBackground = (UInt8(0x1E), UInt8(0x1E), UInt8(0x1E))
  public static let defaultForeground = (UInt8(0xD4), UInt8(0xD4), UInt8(0xD4))

  /// The SVG text. Colours are previewed at `depth` (quantised as that terminal would show them).
  /// Attributes: bold → font-weight, dim → 60 % opacity, underline → text-decoration, reverse →
  /// foreground and background swapped. Full and half blocks (█ ▀ ▄) are drawn as rectangles so
  /// dense heatmaps have no gaps between rows.
  public static func render(_ canvas: Canvas, depth: ColorDepth = .trueColor) -> String {
    let (width, height) = (canvas.width * cellWidth, canvas.height * cellHeight)
    var svg = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
      viewBox="0 0 \(width) \(height)" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" \
      font-size="13">

      """
    svg += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"\(hex(defaultBackground))\"/>\n"
    svg += "<g shape-rendering=\"crispEdges\">\n"
    for row in 0..<canvas.height { svg += backgroundRects(canvas, row: row, depth: depth) }
    svg += "</g>\n<g>\n"
    for row in 0..<canvas.height { svg += textRuns(canvas, row: row, depth: depth) }
    svg += "</g>\n</svg>\n"
    return svg
  }

  /// The colours a cell shows after reverse video, as RGB.
  static func resolved(_ cell: Cell, depth: ColorDepth) -> (
    fg: (UInt8, UInt8, UInt8), bg: (UInt8, UInt8, UInt8)
  ) {
    let fg = cell.foreground.quantized(to: depth).rgbComponents ?? defaultForeground
    let bg = cell.background.quantized(to: depth).rgbComponents ?? defaultBackground
    return cell.attributes.contains(.reverse) ? (bg, fg) : (fg, bg)
  }

  /// One rectangle per run of equal, non-default backgrounds in a row (plus block glyphs' fills).
  static func backgroundRects(_ canvas: Canvas, row: Int, depth: ColorDepth) -> String {
    var output = ""
    var column = 0
    while column < canvas.width {
      let background = resolved(canvas[column, row], depth: depth).bg
      var end = column + 1
      while end < canvas.width, resolved(canvas[end, row], depth: depth).bg == background { end += 1 }
      if background != defaultBackground {
        output += rect(
          x: column * cellWidth, y: row * cellHeight, width: (end - column) * cellWidth, height: cellHeight,
          fill: background)
      }
      column = end
    }
    // Block glyphs of one kind and colour in a row merge too (a dense heatmap's masked triangle).
    column = 0
    while column < canvas.width {
      let cell = canvas[column, row]
      guard let half = blockHalves[cell.character] else {
        column += 1
        continue
      }
      let key = (fill: blockFill(cell, depth: depth), dim: cell.attributes.contains(.dim))
      var end = column + 1
      while end < canvas.width, blockHalves[canvas[end, row].character] == half,
        blockFill(canvas[end, row], depth: depth) == key.fill,
        canvas[end, row].attributes.contains(.dim) == key.dim
      {
        end += 1
      }
      let top = row * cellHeight + (half == .lower ? cellHeight / 2 : 0)
      output += rect(
        x: column * cellWidth, y: top, width: (end - column) * cellWidth,
        height: half == .full ? cellHeight : cellHeight / 2, fill: key.fill, opacity: key.dim ? 0.6 : nil)
      column = end
    }
    return output
  }

  enum BlockHalf { case full, upper, lower }

  /// A block glyph's fill: its foreground after reverse video.
  static func blockFill(_ cell: Cell, depth: ColorDepth) -> (UInt8, UInt8, UInt8) {
    resolved(cell, depth: depth).fg
  }
  static let blockHalves: [Character: BlockHalf] = ["█": .full, "▀": .upper, "▄": .lower]

  /// Runs of non-blank, non-block characters with one style; blanks split runs so every run starts
  /// on its own cell and `textLength` pins it to the grid.
  static func textRuns(_ canvas: Canvas, row: Int, depth: ColorDepth) -> String {
    var output = ""
    var column = 0
    func isText(_ cell: Cell) -> Bool {
      cell.character != " " && !cell.isContinuation && blockHalves[cell.character] == nil
    }
    while column < canvas.width {
      let cell = canvas[column, row]
      guard isText(cell) else {
        column += 1
        continue
      }
      let style = textStyle(cell, depth: depth)
      // A wide character (CJK, emoji) is a run of its own, two cells long, so that `textLength`
      // stretches no narrow neighbour to its width.
      var end = column + 1
      if cell.columns == 2 {
        end = column + 2
      } else {
        while end < canvas.width, isText(canvas[end, row]), canvas[end, row].columns == 1,
          textStyle(canvas[end, row], depth: depth) == style
        {
          end += 1
        }
      }
      let text = String(
        (column..<min(end, canvas.width)).map { canvas[$0, row].character }.filter {
          $0 != Cell.continuationCharacter
        })
      output +=
        "<text x=\"\(column * cellWidth)\" y=\"\(row * cellHeight + 12)\" textLength=\"\((end - column) * cellWidth)\" "
        + "lengthAdjust=\"spacingAndGlyphs\"\(style)>\(escaped(text))</text>\n"
      column = end
    }
    return output
  }

  /// The text element's presentation attributes for a cell, compared to decide where runs end.
  static func textStyle(_ cell: Cell, depth: ColorDepth) -> String {
    var style = " fill=\"\(hex(resolved(cell, depth: depth).fg))\""
    if cell.attributes.contains(.bold) { style += " font-weight=\"bold\"" }
    if cell.attributes.contains(.dim) { style += " fill-opacity=\"0.6\"" }
    if cell.attributes.contains(.underline) { style += " text-decoration=\"underline\"" }
    return style
  }

  static func rect(
    x: Int, y: Int, width: Int, height: Int, fill: (UInt8, UInt8, UInt8), opacity: Double? = nil
  ) -> String {
    "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" fill=\"\(hex(fill))\""
      + (opacity.map { " fill-opacity=\"\($0)\"" } ?? "") + "/>\n"
  }

  static func hex(_ rgb: (UInt8, UInt8, UInt8)) -> String {
    let digits = Array("0123456789abcdef")
    return "#" + String([rgb.0, rgb.1, rgb.2].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
  }

  /// XML character escapes for text and attribute values; control characters become "?".
  public static func escaped(_ text: String) -> String {
    var output = ""
    for character in text {
      switch character {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"": output += "&quot;"
      case "'": output += "&apos;"
      default: output.append(Canvas.printable(character))  // control characters are not XML
      }
    }
    return output
  }
}
