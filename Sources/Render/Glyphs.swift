// The characters widgets draw structure with: Unicode box drawing and blocks, or plain ASCII for
// terminals without UTF-8 (a C/POSIX locale, old serial consoles), where multi-byte glyphs print as junk.

/// One set of structural characters. Every widget takes one, defaulting to `.unicode`.
public struct Glyphs: Hashable, Sendable {
  /// Intensity from nothing to full, used where colour alone cannot show a value.
  public var shadeRamp: [Character]
  /// Bar fill from 1/8 to 8/8 of a cell; ASCII has only the full step.
  public var barEighths: [Character]
  /// The unfilled part of a bar's track.
  public var barTrack: Character
  /// A cell whose upper half takes the foreground and lower half the background; `nil` where the
  /// character set has none, so dense widgets fall back to one matrix row per cell.
  public var upperHalfBlock: Character?
  public var box: BoxCharacters
  public var tree: TreeConnectors
  public var ellipsis: Character
  public var arrowUp: Character
  public var arrowDown: Character
  public var arrowLeft: Character
  public var arrowRight: Character
  /// In front of a marked row (the chosen token).
  public var marker: Character
  /// After a marked node (a finished hypothesis).
  public var bullet: Character
  /// A masked matrix entry: something no probability's shade uses.
  public var masked: Character

  public static let unicode = Glyphs(
    shadeRamp: ShadeRamp.blocks, barEighths: ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"], barTrack: "·",
    upperHalfBlock: "▀", box: .unicode, tree: .unicode, ellipsis: "…", arrowUp: "↑",
    arrowDown: "↓", arrowLeft: "←", arrowRight: "→", marker: "▶", bullet: "■", masked: "·")

  /// 7-bit only. The ellipsis is "~" because it must stay one column wide.
  public static let ascii = Glyphs(
    shadeRamp: ShadeRamp.ascii, barEighths: ["#"], barTrack: ".", upperHalfBlock: nil, box: .ascii,
    tree: .ascii, ellipsis: "~", arrowUp: "^", arrowDown: "v", arrowLeft: "<", arrowRight: ">",
    marker: ">", bullet: "*", masked: "x")

  /// Unicode when the locale's character set is UTF-8, ASCII otherwise. POSIX precedence: LC_ALL,
  /// then LC_CTYPE, then LANG; an unset locale is "C", which is ASCII.
  public static func detect(environment: [String: String]) -> Glyphs {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
    let normalised = (locale ?? "").lowercased().filter { $0 != "-" }
    return normalised.contains("utf8") ? .unicode : .ascii
  }
}

/// The eight pieces of a rectangle's outline.
public struct BoxCharacters: Hashable, Sendable {
  public var horizontal: Character
  public var vertical: Character
  public var topLeft: Character
  public var topRight: Character
  public var bottomLeft: Character
  public var bottomRight: Character

  public static let unicode = BoxCharacters(
    horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘")
  public static let ascii = BoxCharacters(
    horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+")
}

/// The guides in front of a tree node, each three columns wide so depths line up.
public struct TreeConnectors: Hashable, Sendable {
  /// Before a child that has later siblings.
  public var branch: String
  /// Before the last child.
  public var lastBranch: String
  /// Under a node that has later siblings: the line continues down.
  public var continuation: String
  /// Under a last child: nothing continues.
  public var gap: String

  public static let unicode = TreeConnectors(
    branch: "├─ ", lastBranch: "└─ ", continuation: "│  ", gap: "   ")
  public static let ascii = TreeConnectors(branch: "|- ", lastBranch: "`- ", continuation: "|  ", gap: "   ")
}
