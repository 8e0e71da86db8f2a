// Maps requested colours to what a terminal of a given depth can show (xterm 256-colour layout).

extension Color {
  /// The xterm-256 palette index nearest to this colour (16–255 for RGB; ANSI colours keep their index).
  /// `nil` for the terminal default.
  public var paletteIndex: Int? {
    switch self {
    case .terminalDefault: return nil
    case .ansi(let index): return Int(index & 15)
    case .rgb(let r, let g, let b): return Color.nearest256(r, g, b)
    }
  }

  /// The nearest of the 16 ANSI colours, `nil` for the terminal default.
  public var ansi16Index: Int? {
    switch self {
    case .terminalDefault: return nil
    case .ansi(let index): return Int(index & 15)
    case .rgb(let r, let g, let b):
      var best = 0
      var bestDistance = Int.max
      for (index, entry) in Color.ansi16RGB.enumerated() {
        let distance = Color.distance((Int(r), Int(g), Int(b)), entry)
        if distance < bestDistance { (best, bestDistance) = (index, distance) }
      }
      return best
    }
  }

  /// The nearest of the 8 normal ANSI colours, `nil` for the terminal default. Bright ANSI colours
  /// lose their brightness, except bright black (grey), which becomes white: mapping it to black
  /// would hide it on the usual dark background.
  public var ansi8Index: Int? {
    switch self {
    case .terminalDefault: return nil
    case .ansi(let index):
      let index = Int(index & 15)
      return index < 8 ? index : index == 8 ? 7 : index - 8
    case .rgb(let r, let g, let b):
      let target = (Int(r), Int(g), Int(b))
      return (0..<8).min {
        Color.distance(target, Color.ansi16RGB[$0]) < Color.distance(target, Color.ansi16RGB[$1])
      }
    }
  }

  /// This colour as the terminal at `depth` would show it, as RGB (the terminal default stays
  /// default; monochrome drops every colour). Exporters that can draw any colour use it to preview
  /// a lower depth.
  public func quantized(to depth: ColorDepth) -> Color {
    switch depth {
    case .trueColor: return self
    case .monochrome: return .terminalDefault
    case .palette256:
      if case .ansi = self { return self }
      return paletteIndex.map(Color.rgb(forPaletteIndex:)) ?? .terminalDefault
    case .ansi16: return ansi16Index.map { .ansi(UInt8($0)) } ?? .terminalDefault
    case .ansi8: return ansi8Index.map { .ansi(UInt8($0)) } ?? .terminalDefault
    }
  }

  /// xterm's RGB for a palette index: the 16 ANSI colours, the 6×6×6 cube, the 24 greys.
  public static func rgb(forPaletteIndex index: Int) -> Color {
    let index = min(255, max(0, index))
    if index < 16 {
      let c = ansi16RGB[index]
      return .rgb(UInt8(c.0), UInt8(c.1), UInt8(c.2))
    }
    if index >= 232 {
      let level = UInt8(8 + 10 * (index - 232))
      return .rgb(level, level, level)
    }
    let cube = index - 16
    return .rgb(
      UInt8(cubeLevels[cube / 36]), UInt8(cubeLevels[cube / 6 % 6]), UInt8(cubeLevels[cube % 6]))
  }

  /// Red, green, blue for any colour but the terminal default (ANSI colours use xterm's values).
  public var rgbComponents: (UInt8, UInt8, UInt8)? {
    switch self {
    case .terminalDefault: return nil
    case .ansi(let index):
      let c = Color.ansi16RGB[Int(index & 15)]
      return (UInt8(c.0), UInt8(c.1), UInt8(c.2))
    case .rgb(let r, let g, let b): return (r, g, b)
    }
  }

  /// xterm's 6×6×6 cube levels.
  static let cubeLevels = [0, 95, 135, 175, 215, 255]

  static let ansi16RGB: [(Int, Int, Int)] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
    (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
    (255, 0, 255), (0, 255, 255), (255, 255, 255),
  ]

  static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
    let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
    return dr * dr + dg * dg + db * db
  }

  /// Best of the cube entry and the grey-ramp entry (232–255), as xterm lays them out.
  static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
    let target = (Int(r), Int(g), Int(b))
    func cubeStep(_ v: Int) -> Int { v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40 }
    let (cr, cg, cb) = (cubeStep(target.0), cubeStep(target.1), cubeStep(target.2))
    let cube = (cubeLevels[cr], cubeLevels[cg], cubeLevels[cb])
    let cubeIndex = 16 + 36 * cr + 6 * cg + cb
    let average = (target.0 + target.1 + target.2) / 3
    let greyStep = average > 238 ? 23 : max(0, (average - 3) / 10)
    let greyLevel = 8 + 10 * greyStep
    let greyIndex = 232 + greyStep
    let greyDistance = distance(target, (greyLevel, greyLevel, greyLevel))
    return greyDistance < distance(target, cube) ? greyIndex : cubeIndex
  }
}
