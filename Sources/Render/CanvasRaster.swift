// Canvas → RGB pixels, for the PNG export: every cell a 12 × 20 pixel box in its background colour
// with its character's dots in the foreground colour. Text comes from BitmapFont (5 × 9 dots, each
// 2 × 2 pixels); block elements (U+2580–U+259F), box drawing and braille are drawn geometrically,
// so heatmaps and bars come out exact; a character outside all of these is drawn as an empty box
// (the SVG and ANSI exports keep it). Colours and attributes as the SVG exporter resolves them:
// reverse swaps, dim is 60 % foreground over the background, bold is the glyph widened by one
// pixel (as character-generator terminals did), underline the cell's last pixel row.

public enum CanvasRaster {
  public static let cellWidth = 12
  public static let cellHeight = 20
  /// Where BitmapFont's dot (0, 0) starts inside a cell, and the pixels per dot.
  static let glyphOrigin = (x: 1, y: 1)
  static let dotSize = 2

  /// An RGB image, row-major, 3 bytes per pixel.
  public struct Pixels: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public var rgb: [UInt8]
  }

  /// The whole canvas, previewed at `depth` like the SVG.
  public static func render(_ canvas: Canvas, depth: ColorDepth = .trueColor) -> Pixels {
    let width = canvas.width * cellWidth
    var pixels = Pixels(width: width, height: canvas.height * cellHeight, rgb: [])
    pixels.rgb = [UInt8](repeating: 0, count: width * pixels.height * 3)
    for row in 0..<canvas.height {
      for column in 0..<canvas.width {
        let cell = canvas[column, row]
        let colors = colors(of: cell, depth: depth)
        let mask = mask(of: cell)
        for y in 0..<cellHeight {
          for x in 0..<cellWidth {
            let color = mask[y * cellWidth + x] ? colors.fg : colors.bg
            let offset = ((row * cellHeight + y) * width + column * cellWidth + x) * 3
            (pixels.rgb[offset], pixels.rgb[offset + 1], pixels.rgb[offset + 2]) = color
          }
        }
      }
    }
    return pixels
  }

  /// The foreground and background a cell is painted with (dim already blended in).
  public static func colors(of cell: Cell, depth: ColorDepth) -> (
    fg: (UInt8, UInt8, UInt8), bg: (UInt8, UInt8, UInt8)
  ) {
    var (fg, bg) = SVGExporter.resolved(cell, depth: depth)
    if cell.attributes.contains(.dim) {
      func blend(_ f: UInt8, _ b: UInt8) -> UInt8 { UInt8((Int(f) * 6 + Int(b) * 4 + 5) / 10) }
      fg = (blend(fg.0, bg.0), blend(fg.1, bg.1), blend(fg.2, bg.2))
    }
    return (fg, bg)
  }

  /// Which of the cell's cellWidth × cellHeight pixels take the foreground colour.
  public static func mask(of cell: Cell) -> [Bool] {
    var mask = shape(of: cell.character)
    if cell.attributes.contains(.bold) {
      for y in 0..<cellHeight {
        for x in stride(from: cellWidth - 1, to: 0, by: -1) where mask[y * cellWidth + x - 1] {
          mask[y * cellWidth + x] = true
        }
      }
    }
    if cell.attributes.contains(.underline) {
      for x in 0..<cellWidth { mask[(cellHeight - 1) * cellWidth + x] = true }
    }
    return mask
  }

  /// Whether `character` is drawn as itself (not as the empty box of an unknown character).
  public static func draws(_ character: Character) -> Bool {
    character == " " || BitmapFont.glyph(character) != nil || geometricShape(character) != nil
  }

  /// The plain shape of a character, before attributes.
  public static func shape(of character: Character) -> [Bool] {
    if character == " " { return Array(repeating: false, count: cellWidth * cellHeight) }
    if let shape = geometricShape(character) { return shape }
    var mask = Array(repeating: false, count: cellWidth * cellHeight)
    guard let dots = BitmapFont.glyph(character) else {
      // Unknown: an empty box, so the picture shows that something is there.
      for y in 3...16 {
        for x in 2...9 where y == 3 || y == 16 || x == 2 || x == 9 { mask[y * cellWidth + x] = true }
      }
      return mask
    }
    for row in 0..<BitmapFont.rows {
      for column in 0..<BitmapFont.columns where dots[row * BitmapFont.columns + column] {
        fill(
          &mask, x: glyphOrigin.x + column * dotSize, y: glyphOrigin.y + row * dotSize, width: dotSize,
          height: dotSize)
      }
    }
    return mask
  }

  static func fill(_ mask: inout [Bool], x: Int, y: Int, width: Int, height: Int) {
    for row in max(0, y)..<min(cellHeight, y + height) {
      for column in max(0, x)..<min(cellWidth, x + width) { mask[row * cellWidth + column] = true }
    }
  }

  static func geometricShape(_ character: Character) -> [Bool]? {
    guard character.unicodeScalars.count == 1, let value = character.unicodeScalars.first?.value else {
      return nil
    }
    switch value {
    case 0x2580...0x259F: return blockShape(value)
    case 0x2800...0x28FF: return brailleShape(UInt8(value - 0x2800))
    default: return boxShape(character)
    }
  }

  /// Block elements: eighths from the bottom (▁…█) and from the left (▉…▏), halves, shades,
  /// quadrants.
  static func blockShape(_ value: UInt32) -> [Bool] {
    var mask = Array(repeating: false, count: cellWidth * cellHeight)
    let (w, h) = (cellWidth, cellHeight)
    func quadrants(_ upperLeft: Bool, _ upperRight: Bool, _ lowerLeft: Bool, _ lowerRight: Bool) {
      if upperLeft { fill(&mask, x: 0, y: 0, width: w / 2, height: h / 2) }
      if upperRight { fill(&mask, x: w / 2, y: 0, width: w / 2, height: h / 2) }
      if lowerLeft { fill(&mask, x: 0, y: h / 2, width: w / 2, height: h / 2) }
      if lowerRight { fill(&mask, x: w / 2, y: h / 2, width: w / 2, height: h / 2) }
    }
    switch value {
    case 0x2580: fill(&mask, x: 0, y: 0, width: w, height: h / 2)
    case 0x2581...0x2588:
      let height = (Int(value - 0x2580) * h + 4) / 8
      fill(&mask, x: 0, y: h - height, width: w, height: height)
    case 0x2589...0x258F: fill(&mask, x: 0, y: 0, width: (Int(0x2590 - value) * w + 4) / 8, height: h)
    case 0x2590: fill(&mask, x: w / 2, y: 0, width: w / 2, height: h)
    case 0x2591...0x2593:
      // Shades as ordered dither patterns of 1/4, 1/2 and 3/4 of the pixels.
      let level = Int(value - 0x2590)
      for y in 0..<h {
        for x in 0..<w {
          let rank = [0, 2, 3, 1][(y % 2) * 2 + x % 2]
          mask[y * w + x] = rank < level
        }
      }
    case 0x2594: fill(&mask, x: 0, y: 0, width: w, height: (h + 4) / 8)
    case 0x2595: fill(&mask, x: w - (w + 4) / 8, y: 0, width: (w + 4) / 8, height: h)
    case 0x2596: quadrants(false, false, true, false)
    case 0x2597: quadrants(false, false, false, true)
    case 0x2598: quadrants(true, false, false, false)
    case 0x2599: quadrants(true, false, true, true)
    case 0x259A: quadrants(true, false, false, true)
    case 0x259B: quadrants(true, true, true, false)
    case 0x259C: quadrants(true, true, false, true)
    case 0x259D: quadrants(false, true, false, false)
    case 0x259E: quadrants(false, true, true, false)
    default: quadrants(false, true, true, true)  // 0x259F
    }
    return mask
  }

  /// Braille: dots 1–3 and 7 down the left column, 4–6 and 8 down the right (bit n is dot n+1).
  static func brailleShape(_ bits: UInt8) -> [Bool] {
    var mask = Array(repeating: false, count: cellWidth * cellHeight)
    let dots: [(column: Int, row: Int)] = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3)]
    for (bit, dot) in dots.enumerated() where bits & (1 << bit) != 0 {
      fill(&mask, x: 3 + dot.column * 4, y: 2 + dot.row * 5, width: 2, height: 2)
    }
    return mask
  }

  /// The arms of a box-drawing character: up, down, left, right, each 0 (none), 1 (light),
  /// 2 (heavy) or 3 (double).
  static let boxArms: [Character: (Int, Int, Int, Int)] = [
    "─": (0, 0, 1, 1), "│": (1, 1, 0, 0), "━": (0, 0, 2, 2), "┃": (2, 2, 0, 0),
    "═": (0, 0, 3, 3), "║": (3, 3, 0, 0),
    "┌": (0, 1, 0, 1), "┐": (0, 1, 1, 0), "└": (1, 0, 0, 1), "┘": (1, 0, 1, 0),
    "╭": (0, 1, 0, 1), "╮": (0, 1, 1, 0), "╰": (1, 0, 0, 1), "╯": (1, 0, 1, 0),
    "├": (1, 1, 0, 1), "┤": (1, 1, 1, 0), "┬": (0, 1, 1, 1), "┴": (1, 0, 1, 1), "┼": (1, 1, 1, 1),
    "╔": (0, 3, 0, 3), "╗": (0, 3, 3, 0), "╚": (3, 0, 0, 3), "╝": (3, 0, 3, 0),
  ]

  static func boxShape(_ character: Character) -> [Bool]? {
    guard let arms = boxArms[character] else { return nil }
    let (up, down, left, right) = arms
    var mask = Array(repeating: false, count: cellWidth * cellHeight)
    let (cx, cy) = (cellWidth / 2 - 1, cellHeight / 2 - 1)  // the 2-pixel centre line's first pixel
    /// Lines across the arm: light 2 px, heavy 4 px, double two 2-px lines 2 px apart.
    func offsets(_ weight: Int) -> [(Int, Int)] {
      switch weight {
      case 1: return [(0, 2)]
      case 2: return [(-1, 4)]
      default: return [(-2, 2), (2, 2)]
      }
    }
    func vertical(_ weight: Int, from y0: Int, to y1: Int) {
      for (offset, thickness) in offsets(weight) {
        fill(&mask, x: cx + offset, y: y0, width: thickness, height: y1 - y0)
      }
    }
    func horizontal(_ weight: Int, from x0: Int, to x1: Int) {
      for (offset, thickness) in offsets(weight) {
        fill(&mask, x: x0, y: cy + offset, width: x1 - x0, height: thickness)
      }
    }
    if up > 0 { vertical(up, from: 0, to: cy + 2) }
    if down > 0 { vertical(down, from: cy, to: cellHeight) }
    if left > 0 { horizontal(left, from: 0, to: cx + 2) }
    if right > 0 { horizontal(right, from: cx, to: cellWidth) }
    return mask
  }
}
