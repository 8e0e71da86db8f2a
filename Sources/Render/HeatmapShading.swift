// How one value looks at each colour depth, shared by the heatmaps and their legend.

public enum Heatmap {
  /// A cell shaded for `t` in [0, 1]: a background colour where the depth has gradients, a shade
  /// character in the map's colour with 16 or 8 colours, an ASCII ramp in monochrome. Diverging maps
  /// shade by distance from the middle, so zero stays blank and the sign shows in the colour (or,
  /// in monochrome, in which signed ramp the character comes from).
  public static func shadedCell(
    _ t: Double, colorMap: ColorMap, depth: ColorDepth, glyphs: Glyphs = .unicode
  ) -> Cell {
    let color = colorMap.color(at: t)
    switch depth {
    case .trueColor, .palette256:
      return Cell(" ", background: color)
    case .ansi16, .ansi8:
      if colorMap.isDiverging, glyphs.shadeRamp == ShadeRamp.ascii {
        return Cell(signedCharacter(t), foreground: color)
      }
      let intensity = colorMap.isDiverging ? magnitude(t) : t
      return Cell(ShadeRamp.character(at: intensity, ramp: glyphs.shadeRamp), foreground: color)
    case .monochrome:
      return Cell(
        colorMap.isDiverging ? signedCharacter(t) : ShadeRamp.character(at: t, ramp: ShadeRamp.ascii))
    }
  }

  /// Masked entries: a dim dot (ASCII: "x") on the default background, unlike any probability's shade.
  public static func maskedCell(depth: ColorDepth, glyphs: Glyphs = .unicode) -> Cell {
    depth == .monochrome
      ? Cell("x")
      : Cell(glyphs.masked, foreground: .ansi(8), background: .terminalDefault, attributes: [.dim])
  }

  /// Truncates with an ellipsis so labels keep their first characters.
  public static func fitted(_ text: String, _ width: Int) -> String {
    fitted(text, width, ellipsis: "…")
  }

  /// Truncates with the given one-column ellipsis (`Glyphs.ellipsis`).
  public static func fitted(_ text: String, _ width: Int, ellipsis: Character) -> String {
    guard width > 0 else { return "" }
    // In terminal columns, so a CJK token is cut at the same width as a Latin one.
    return TerminalText.columns(of: text) <= width
      ? text : TerminalText.prefix(text, columns: max(0, width - 1)) + String(ellipsis)
  }

  /// Distance of t from the diverging map's middle, in [0, 1].
  static func magnitude(_ t: Double) -> Double {
    t.isNaN ? 0 : min(1, abs(2 * t - 1))
  }

  static func signedCharacter(_ t: Double) -> Character {
    let ramp = t < 0.5 ? ShadeRamp.asciiNegative : ShadeRamp.asciiPositive
    return ShadeRamp.character(at: magnitude(t), ramp: ramp)
  }
}
