// Which slice of a long axis is on screen: shared by every widget that scrolls (heatmap, tree, text).

public enum Viewport {
  /// A window of `visible` indices out of `count`, centred on `focus` where the ends allow.
  /// (The same rule as AppCore's panning, so a widget and its screen agree.)
  public static func centred(count: Int, visible: Int, focus: Int) -> Range<Int> {
    guard visible > 0, count > 0 else { return 0..<0 }
    guard count > visible else { return 0..<count }
    let start = min(max(0, focus - visible / 2), count - visible)
    return start..<(start + visible)
  }

  /// The first index of a window of `visible` out of `count` that shows `focus`, moved from `start`
  /// as little as possible: scrolling then follows a cursor without jumping on every step.
  public static func following(start: Int, count: Int, visible: Int, focus: Int) -> Int {
    guard visible > 0, count > visible else { return 0 }
    var first = min(max(0, start), count - visible)
    if focus < first { first = max(0, focus) }
    if focus >= first + visible { first = min(count - visible, focus - visible + 1) }
    return first
  }

  /// `start` clamped so that a window of `visible` stays inside `count`.
  public static func clamped(start: Int, count: Int, visible: Int) -> Int {
    min(max(0, start), max(0, count - visible))
  }
}
