// Straight lines at braille-dot resolution (2 × 4 dots per cell, Unicode's braille block U+2800),
// the trick drawille and ratatui's canvas Braille marker use for line plots in a terminal. Each
// cell keeps the strongest line through it, whose colour and weight it is drawn with, so that a
// faint line crossing a strong one never dims it.

public struct BrailleLines {
  public let width: Int
  public let height: Int
  /// Dot bits per cell (U+2800 + bits), and the strongest line through each cell.
  var dots: [UInt8]
  var strongest: [(weight: Float, color: Color)?]

  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    dots = Array(repeating: 0, count: self.width * self.height)
    strongest = Array(repeating: nil, count: self.width * self.height)
  }

  /// Dots across and down.
  public var dotWidth: Int { width * 2 }
  public var dotHeight: Int { height * 4 }

  /// The bit of dot (column 0–1, row 0–3) within its cell, in Unicode's numbering (dots 1–8).
  static func bit(column: Int, row: Int) -> UInt8 {
    let left: [UInt8] = [0x01, 0x02, 0x04, 0x40]
    let right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
    return column == 0 ? left[row] : right[row]
  }

  /// Sets one dot (outside the grid: ignored) and remembers the line's weight for its cell.
  public mutating func plot(x: Int, y: Int, weight: Float, color: Color) {
    guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
    let index = (y / 4) * width + x / 2
    dots[index] |= Self.bit(column: x % 2, row: y % 4)
    if (strongest[index]?.weight ?? -1) < weight { strongest[index] = (weight, color) }
  }

  /// A line between two dots (Bresenham's algorithm, every dot on it set).
  public mutating func line(
    from start: (x: Int, y: Int), to end: (x: Int, y: Int), weight: Float, color: Color
  ) {
    var (x, y) = start
    let (dx, dy) = (abs(end.x - x), -abs(end.y - y))
    let (sx, sy) = (x < end.x ? 1 : -1, y < end.y ? 1 : -1)
    var error = dx + dy
    while true {
      plot(x: x, y: y, weight: weight, color: color)
      if x == end.x && y == end.y { break }
      let doubled = 2 * error
      if doubled >= dy {
        error += dy
        x += sx
      }
      if doubled <= dx {
        error += dx
        y += sy
      }
    }
  }

  /// Draws the dotted cells from (x, y): each in its strongest line's colour, dimmed towards the
  /// background as its weight falls (`intensity`), bold for weights of at least `boldFrom` so that
  /// monochrome terminals still tell strong from weak.
  public func draw(into canvas: inout Canvas, x: Int, y: Int, boldFrom: Float = 0.5) {
    for row in 0..<height {
      for column in 0..<width {
        let index = row * width + column
        guard dots[index] != 0, let line = strongest[index] else { continue }
        let character = Character(Unicode.Scalar(0x2800 + UInt32(dots[index]))!)
        canvas[x + column, y + row] = Cell(
          character, foreground: Self.intensity(line.color, weight: line.weight),
          attributes: line.weight >= boldFrom ? [.bold] : line.weight < 0.1 ? [.dim] : [])
      }
    }
  }

  /// `color` scaled from a dark grey (weight 0) to itself (weight 1): intensity is the weight.
  public static func intensity(_ color: Color, weight: Float) -> Color {
    guard let (r, g, b) = color.rgbComponents else { return color }
    let t = Double(min(1, max(0, weight)))
    // A floor keeps the faintest visible line distinguishable from the background.
    let floor = 0.25
    let scale = floor + (1 - floor) * t
    func mix(_ value: UInt8) -> UInt8 { UInt8((Double(value) * scale).rounded()) }
    return .rgb(mix(r), mix(g), mix(b))
  }
}
