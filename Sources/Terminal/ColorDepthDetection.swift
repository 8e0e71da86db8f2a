// Picks the colour depth for a terminal and maps Canvas colours to curses colour numbers.

import Render

extension TerminalScreen {
  /// NO_COLOR (no-color.org: any non-empty value) wins, then COLORTERM=truecolor/24bit (the
  /// convention terminals use to announce direct colour), then terminfo's `colors` count: 8 to 15
  /// colours (a Linux console, TERM=xterm) is `.ansi8`, which has no bright half.
  public static func detectColorDepth(environment: [String: String], colors: Int) -> ColorDepth {
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
    if let colorTerm = environment["COLORTERM"]?.lowercased(),
      colorTerm == "truecolor" || colorTerm == "24bit"
    {
      return .trueColor
    }
    if colors >= 256 { return .palette256 }
    if colors >= 16 { return .ansi16 }
    if colors >= 8 { return .ansi8 }
    return .monochrome
  }
}

/// Turns a cell's colours into curses colour numbers for a depth and a terminal.
/// Direct colour is not portable through ncurses (it needs terminfo's RGB capability and
/// init_extended_color per colour), so `.trueColor` draws with the 256-colour palette on screen;
/// the ANSI and SVG exporters are where 24-bit colour comes out.
struct CursesColorMapper: Equatable {
  var depth: ColorDepth
  /// COLORS, or 0 when the terminal has no colour.
  var terminalColors: Int
  /// use_default_colors() succeeded, so -1 means "the terminal's own colour".
  var defaultColors: Bool

  /// Colour numbers (-1: terminal default) and whether bold must stand in for a bright foreground.
  struct Resolved: Hashable {
    var foreground: Int32
    var background: Int32
    var brightBold: Bool
  }

  static let noColor = Resolved(foreground: -1, background: -1, brightBold: false)

  func resolve(foreground: Color, background: Color) -> Resolved {
    guard depth != .monochrome, terminalColors >= 8 else { return Self.noColor }
    let (fg, bright) = number(for: foreground, isBackground: false)
    let (bg, _) = number(for: background, isBackground: true)
    return Resolved(foreground: fg, background: bg, brightBold: bright)
  }

  private func number(for color: Color, isBackground: Bool) -> (Int32, Bool) {
    guard color != .terminalDefault else {
      // Without default-colour support pair 0 is white on black, so name those explicitly.
      return (defaultColors ? -1 : (isBackground ? 0 : 7), false)
    }
    if depth == .palette256 || depth == .trueColor, terminalColors >= 256, let index = color.paletteIndex {
      return (Int32(index), false)
    }
    // Eight colours chosen by the user or the terminal: the nearest of the eight (Color.ansi8Index),
    // which keeps grey visible instead of turning it into bold black.
    if depth == .ansi8 { return (Int32(color.ansi8Index ?? 0), false) }
    let index = color.ansi16Index ?? 0
    if terminalColors >= 16 { return (Int32(index), false) }
    // An 8-colour terminal: the bright half is the normal colour in bold (foreground only).
    return (Int32(index % 8), !isBackground && index >= 8)
  }
}

/// The (foreground, background) → pair number table. Pairs are defined once, on first use,
/// never per draw (calling init_pair per cell is slow and makes terminals flicker).
struct ColorPairTable {
  struct Key: Hashable {
    var foreground: Int32
    var background: Int32
  }

  /// COLOR_PAIRS; pair 0 is fixed to the default colours, so 1..<capacity are ours.
  let capacity: Int32
  private(set) var pairs: [Key: Int32] = [:]
  private var next: Int32 = 1

  init(capacity: Int32) { self.capacity = capacity }

  /// The pair for these colours, defining it with `define(pair, fg, bg)` the first time;
  /// nil when every pair is taken (the caller resets the table and repaints).
  mutating func pair(
    foreground: Int32, background: Int32, define: (Int32, Int32, Int32) -> Bool
  ) -> Int32? {
    if foreground == -1 && background == -1 { return 0 }
    let key = Key(foreground: foreground, background: background)
    if let pair = pairs[key] { return pair }
    guard next < capacity else { return nil }
    // A pair the terminal refuses (a colour number it lacks) falls back to the defaults, once.
    guard define(next, foreground, background) else {
      pairs[key] = 0
      return 0
    }
    pairs[key] = next
    next += 1
    return next - 1
  }

  mutating func reset() {
    pairs.removeAll(keepingCapacity: true)
    next = 1
  }
}
