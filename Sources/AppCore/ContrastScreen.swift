// Screen 0: one word in two inputs (Ethayarajh 2019, "How Contextual are Contextualized Word
// Representations?": the same word's vectors drift apart layer by layer as context takes over).
// The cosine of the two chosen tokens' vectors at every depth, and each one's attention row for the
// selected layer and head, side by side. The host runs both inputs once; picking another token
// is then pure (the run holds every token's vectors).
import Foundation
import Render
import Trace

/// Screen 0's inputs, the host's run of them, and what is selected.
public struct ContrastScreenState: Sendable {
  /// The seeds' own example: the money bank and the river bank.
  public var texts = ["I deposited money at the bank", "We sat on the river bank"]
  /// The word looked for when a run arrives; the chosen tokens follow the cursor after that.
  public var word = "bank"
  public var run: ContrastRun?
  public var problem: String?
  /// Which input ←→ moves the chosen token in (0 or 1).
  public var focus = 0
  public var layer = 0
  public var head = 0

  public init() {}
}

public enum ContrastScreen {
  public static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    AppView.screen(state, size: size) { canvas, x in
      guard let run = state.contrast.run else {
        let message = state.contrast.problem.map { "cannot contrast: \($0)" } ?? "running both inputs…"
        canvas.put(message, x: 1, y: 3, maxWidth: size.width - 2)
        AttentionScreen.drawStatusLine(" \(state.trace.model) │ contrast", into: &canvas)
        return
      }
      let (layer, head) = (state.contrast.layer, state.contrast.head)
      canvas.put(
        "layer \(layer + 1)/\(run.layers)  head \(head + 1)/\(run.heads)", x: x, y: 1, attributes: [.bold],
        maxWidth: max(0, size.width - x - 1))
      for (index, side) in [run.first, run.second].enumerated() {
        let focused = index == state.contrast.focus
        canvas.put(
          (focused ? String(state.glyphs.marker) : " ") + " input \(index + 1)", x: 1, y: 3 + index,
          attributes: focused ? [.bold] : [.dim])
        AppView.drawTokens(
          side.tokens, highlight: side.position, into: &canvas, x: 11, y: 3 + index, maxWidth: size.width - 12
        )
      }
      let cosines = run.cosines
      let top = 6
      // The cosine of every depth, the selected layer's output marked.
      canvas.put(
        "cos('\(run.first.word)', '\(run.second.word)') by depth (0: embeddings)", x: 1, y: top,
        attributes: [.bold], maxWidth: size.width - 2)
      let depthRows = min(cosines.count, max(1, (size.height - top - 8) / 2))
      let firstDepth = Pan.window(count: cosines.count, visible: depthRows, cursor: layer + 1).lowerBound
      var chart = BarChartWidget(
        items: cosines.enumerated().dropFirst(firstDepth).prefix(depthRows).map { depth, cosine in
          BarChartItem(
            label: depth == 0 ? "embeddings" : "layer \(depth)", value: Double(cosine),
            marked: depth == layer + 1)
        })
      chart.glyphs = state.glyphs
      chart.scale = 1
      chart.decimals = 4
      chart.markedNote = "selected layer"
      chart.draw(into: &canvas, x: 1, y: top + 1, width: min(size.width - 2, 72), height: depthRows)
      // The two attention rows side by side.
      let rowsTop = top + 2 + depthRows
      let half = size.width / 2
      let height = size.height - 3 - rowsTop - 1
      for (index, side) in [run.first, run.second].enumerated() {
        let left = index == 0 ? 1 : half + 1
        canvas.put(
          "input \(index + 1): '\(Heatmap.fitted(side.word, 12))' attends", x: left, y: rowsTop,
          attributes: [.bold], maxWidth: half - 2)
        guard let row = side.row(layer: layer, head: head) else { continue }
        var bars = BarChartWidget(
          items: zip(side.tokens, row).map { BarChartItem(label: $0, value: Double($1)) })
        bars.glyphs = state.glyphs
        bars.scale = 1
        bars.maxLabelWidth = 10
        let strongest = row.indices.max { row[$0] < row[$1] } ?? 0
        let shown = Pan.window(count: row.count, visible: max(1, height), cursor: strongest)
        bars.items = Array(bars.items[shown])
        bars.draw(into: &canvas, x: left, y: rowsTop + 1, width: half - 2, height: height)
      }
      LegendWidget(depth: state.depth).draw(into: &canvas, x: 1, y: size.height - 3)
      let selected =
        cosines.indices.contains(layer + 1) ? String(format: "%.4f", Double(cosines[layer + 1])) : "-"
      AttentionScreen.drawStatusLine(
        " \(state.trace.model) │ contrast │ '\(run.first.word)' (token \(run.first.position + 1)) vs "
          + "'\(run.second.word)' (token \(run.second.position + 1)) │ layer \(layer + 1) cos \(selected)"
          + " │ head \(head + 1)", into: &canvas)
    }
  }
}

extension AppState {
  /// Puts the host's run on screen 0: each input's chosen token is the screen's word where the
  /// input has it, else its last token.
  mutating func showContrast(_ run: ContrastRun) {
    var run = run
    for keyPath in [\ContrastRun.first, \ContrastRun.second] {
      if let found = try? ContextualContrast.locate(contrast.word, in: run[keyPath: keyPath].tokens, name: "")
      {
        run[keyPath: keyPath].position = found.position
      }
    }
    contrast.run = run
    contrast.problem = nil
    notice = run.notices.first
    clampContrast()
  }

  mutating func clampContrast() {
    guard let run = contrast.run else { return }
    contrast.layer = min(max(0, contrast.layer), max(0, run.layers - 1))
    contrast.head = min(max(0, contrast.head), max(0, run.heads - 1))
  }
}

/// Screen 0's keys: ←→ the chosen token of the focused input, Tab the other input, `] [` head,
/// `> <` layer, `a` `b` type input 1 or 2.
func handleContrast(_ key: Key, _ state: inout AppState) {
  switch key {
  case .tab, .backTab: state.contrast.focus = 1 - state.contrast.focus
  case .left, .right, .character("h"), .character("l"):
    guard var run = state.contrast.run else { return }
    let step = key == .left || key == .character("h") ? -1 : 1
    let keyPath = state.contrast.focus == 0 ? \ContrastRun.first : \ContrastRun.second
    let side = run[keyPath: keyPath]
    run[keyPath: keyPath].position = min(max(0, side.position + step), side.tokens.count - 1)
    state.contrast.word = ContextualContrast.plainWord(run[keyPath: keyPath].word)
    state.contrast.run = run
  case .character("]"):
    state.contrast.head = (state.contrast.head + 1) % max(1, state.contrast.run?.heads ?? 1)
  case .character("["):
    let heads = max(1, state.contrast.run?.heads ?? 1)
    state.contrast.head = (state.contrast.head + heads - 1) % heads
  case .character(">"), .character("."): state.contrast.layer += 1
  case .character("<"), .character(","): state.contrast.layer -= 1
  case .character("a"): state.prompt = Prompt(purpose: .contrastInput(0), text: state.contrast.texts[0])
  case .character("b"): state.prompt = Prompt(purpose: .contrastInput(1), text: state.contrast.texts[1])
  default: break
  }
  state.clampContrast()
}
