// Terminal-independent colours: what a widget asks for; each backend maps it to what the terminal can show.

/// A colour as a widget requests it. Backends quantise `.rgb` to the terminal's depth.
public enum Color: Hashable, Sendable {
  /// The terminal's own default foreground or background.
  case terminalDefault
  /// One of the 16 ANSI colours (0–7 normal, 8–15 bright).
  case ansi(UInt8)
  /// A 24-bit colour.
  case rgb(UInt8, UInt8, UInt8)
}

/// Text attributes, combined as a bit set.
public struct CellAttributes: OptionSet, Hashable, Sendable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }
  public static let bold = CellAttributes(rawValue: 1 << 0)
  public static let dim = CellAttributes(rawValue: 1 << 1)
  public static let underline = CellAttributes(rawValue: 1 << 2)
  public static let reverse = CellAttributes(rawValue: 1 << 3)
}

/// How many colours the output can show; chosen from the terminal, overridable by the user.
public enum ColorDepth: String, CaseIterable, Sendable {
  case trueColor = "24bit"
  case palette256 = "256"
  case ansi16 = "16"
  /// The eight original ANSI colours (a Linux console, `TERM=xterm` with `colors#8`); no bright half.
  case ansi8 = "8"
  case monochrome = "mono"

  /// Enough colours for a smooth gradient, so values can be shown as background colours alone.
  /// With 16 or 8 colours a gradient collapses into a few hues, so shade characters carry intensity.
  public var showsGradients: Bool { self == .trueColor || self == .palette256 }
}
