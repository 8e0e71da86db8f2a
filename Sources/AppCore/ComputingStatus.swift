// While the layer a screen shows is being computed (a long input's trace computes one layer at a
// time, seconds for a 0.5 B LLM at 4,096 tokens), the last frame stays up with a status line that
// says so, instead of a terminal that looks frozen.
import Render
import Trace

extension AppState {
  /// The screens that read the entry on screen (the decoding screens have their own runs).
  static let entryScreens: Set<Screen> = [.attention, .modelView, .qkDetail]

  /// "computing decoder masked layer 3/24 (4,096 × 4,096, 14 heads)…" when the current screen is
  /// about to compute the entry it shows; nil when that entry is ready or not needed.
  public var computingStatus: String? {
    guard Self.entryScreens.contains(screen), let index = entryBeingComputed else { return nil }
    let layout = trace.layout[index]
    return
      " computing \(layout.stack.rawValue) \(layout.kind.rawValue) layer \(layer + 1)/\(layerEntries.count)"
      + " (\(layout.queries.count) × \(layout.keys.count), \(layout.heads) heads)…"
  }
}

extension AppView {
  /// `previous` (or a blank screen) with `status` on its bottom line.
  public static func computing(_ status: String, over previous: Canvas?, size: (width: Int, height: Int))
    -> Canvas
  {
    var canvas =
      previous.flatMap { $0.width == size.width && $0.height == size.height ? $0 : nil }
      ?? Canvas(width: size.width, height: size.height)
    AttentionScreen.drawStatusLine(status, into: &canvas)
    return canvas
  }
}
