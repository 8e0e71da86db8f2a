// Head ablation in the viewer: `a` on the model view switches the selected head off (or back on),
// `A` switches every head back on; the host re-runs the model (Effect.ablate) and every screen then
// shows the ablated model — the title bar lists the heads that are off, the model view crosses them
// out, and the decode and compare screens set the model as trained beside it (tokens and top-k).
import Foundation
import Render
import Trace

/// Greedy and the best beam of the model as trained, for the compare screen's "before".
public struct CompareBefore: Equatable, Sendable {
  public var greedy: HypothesisView
  public var beam: HypothesisView?
  public var greedySteps: [DecodeStepView]

  public init(greedy: HypothesisView, beam: HypothesisView?, greedySteps: [DecodeStepView]) {
    self.greedy = greedy
    self.beam = beam
    self.greedySteps = greedySteps
  }
}

/// Model view keys for ablation; false for keys it does not handle.
func handleAblationKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
  switch key {
  case .character("a"):
    guard state.kinds.indices.contains(state.kindIndex), state.entry != nil else { return [] }
    let (stack, kind) = state.kinds[state.kindIndex]
    var next = state.ablation
    next.toggle(AblatedHead(stack: stack, kind: kind, layer: state.layer, head: state.head))
    return [.ablate(next)]
  case .character("A"):
    guard !state.ablation.isEmpty else {
      state.notice = "no head is switched off (a switches the selected one off)"
      return []
    }
    return [.ablate(HeadAblation())]
  default: return nil
  }
}

extension AppState {
  /// The host's answer to `.ablate`: the new trace on screen, the selection kept, and the decoding
  /// screens recomputed (with the model as trained beside them).
  mutating func showAblated(_ view: ModelView, _ next: HeadAblation) -> [Effect] {
    let before = ablation
    ablation = next
    show(view, keepingSelection: true)
    let changed = next.heads.symmetricDifference(before.heads).sorted()
    let qualified = kinds.count > 1
    let count = next.heads.count
    if next.isEmpty {
      notice = "every head back on: the model as trained"
    } else if let head = changed.first, changed.count == 1 {
      notice =
        "\(head.label(qualified: qualified)) \(next.heads.contains(head) ? "off" : "back on") · "
        + "\(count) head\(count == 1 ? "" : "s") off · a toggles, A all on"
    } else {
      notice = "\(count) heads off"
    }
    return invalidateDecoding()
  }

  /// The title bar's note of the heads that are off ("" when none).
  var ablationTitle: String {
    ablation.isEmpty ? "" : " · ✕ off: " + ablation.summary(qualified: kinds.count > 1)
  }

  /// Whether the model view's thumbnail `layer`, `head` of the selected kind is switched off.
  func isAblated(layer: Int, head: Int) -> Bool {
    guard kinds.indices.contains(kindIndex) else { return false }
    let (stack, kind) = kinds[kindIndex]
    return ablation.contains(stack: stack, kind: kind, layer: layer, head: head)
  }
}

enum AblationView {
  /// Crosses out the switched-off thumbnails of the model view: "✕off" over the thumbnail and in
  /// its number's place.
  static func markModelView(_ state: AppState, layout: ModelViewScreen.Layout, into canvas: inout Canvas) {
    guard !state.ablation.isEmpty else { return }
    for layer in layout.layers {
      for head in layout.heads where state.isAblated(layer: layer, head: head) {
        let (x, y) = layout.origin(layer: layer, head: head)
        let mark = state.glyphs == .unicode ? "✕off" : "xoff"
        canvas.put(
          String(mark.prefix(max(1, layout.thumbWidth))), x: x, y: y, foreground: .ansi(9),
          attributes: [.bold, .reverse])
        canvas.put(
          String("off".prefix(layout.thumbWidth)).padding(
            toLength: layout.thumbWidth, withPad: " ", startingAt: 0),
          x: x, y: y + layout.thumbHeight, foreground: .ansi(9), attributes: [.bold])
      }
    }
  }

  /// Screen 2, row 5: the model as trained's tokens, each that differs from the ablated run's bold.
  static func drawDecodeBefore(_ run: DecodeRun, into canvas: inout Canvas, y: Int) {
    guard let before = run.before else { return }
    canvas.put("before", x: 1, y: y, foreground: .ansi(9), attributes: [.dim])
    var x = 9
    for (index, step) in before.enumerated() where x < canvas.width - 2 {
      let differs = !run.steps.indices.contains(index) || run.steps[index].chosen != step.chosen
      x +=
        canvas.put(
          step.chosen, x: x, y: y, foreground: differs ? .ansi(9) : .terminalDefault,
          attributes: differs ? [.bold] : [.dim], maxWidth: canvas.width - x - 1) + 1
    }
  }

  /// The top-k of the ablated model (left) and of the model as trained (right) at the same step.
  static func drawBarsBeforeAfter(
    after: DecodeStepView, before: DecodeStepView?, into canvas: inout Canvas, y: Int, height: Int
  ) {
    let half = canvas.width / 2
    DecodeScreen.drawBars(
      after, into: &canvas, x: 1, y: y, width: half - 1, height: height, title: "next token, ablated")
    guard let before else {
      canvas.put("before: the model as trained had stopped", x: half + 1, y: y, attributes: [.dim])
      return
    }
    DecodeScreen.drawBars(
      before, into: &canvas, x: half + 1, y: y, width: canvas.width - half - 2, height: height,
      title: "before (as trained)")
  }

  /// Screen 3, row 10: the model as trained's greedy and best beam, on one line.
  static func drawCompareBefore(_ run: CompareRun, into canvas: inout Canvas, y: Int) {
    guard let before = run.before else { return }
    let beam = before.beam.map { " │ beam '" + $0.tokens.joined(separator: " ") + "'" } ?? ""
    canvas.put(
      "before ablation: greedy '" + before.greedy.tokens.joined(separator: " ") + "'" + beam, x: 1, y: y,
      foreground: .ansi(9), attributes: [.bold], maxWidth: canvas.width - 2)
  }
}
