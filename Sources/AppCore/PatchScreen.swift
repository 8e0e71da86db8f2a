// Screen 8, ViT patches: the image the model saw with its patch grid, the attention from the
// selected token ([CLS] or a patch) as an overlay on the image and as a grid heatmap, per head, the
// mean over heads, or attention rollout through the layers (Abnar & Zuidema 2020); and the
// predicted classes as bars.
import Foundation
import Render
import Trace

enum PatchScreen {
  static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    AppView.screen(state, size: size) { canvas, x in
      guard let patch = state.patches.view, let layout = Layout(state, patch: patch, size: size) else {
        canvas.put("the patch screen is for ViT models (open one with o, e.g. shapes-vit)", x: 1, y: 3)
        AttentionScreen.drawStatusLine(" \(state.trace.model) │ patches", into: &canvas)
        return
      }
      canvas.put(sourceTitle(state), x: x, y: 1, attributes: [.bold], maxWidth: max(0, size.width - x - 1))
      layout.image.draw(into: &canvas, x: layout.imageOrigin.x, y: layout.imageOrigin.y)
      let right = layout.heatmapOrigin.x
      canvas.put(
        "attention from \(label(state.patches.query, patch)) to each patch", x: right, y: 3,
        attributes: [.bold],
        maxWidth: size.width - right - 1)
      layout.heatmap.draw(into: &canvas, x: right, y: layout.heatmapOrigin.y)
      var y = layout.heatmapOrigin.y + layout.heatmap.size.height + 1
      if let row = layout.row {
        canvas.put(String(format: "to [CLS] itself: %.3f", row[0]), x: right, y: y, attributes: [.dim])
        y += 2
      }
      canvas.put("predicted", x: right, y: y, attributes: [.bold])
      var bars = BarChartWidget(
        items: patch.predictions.prefix(5).enumerated().map {
          BarChartItem(label: $1.label, value: Double($1.probability), marked: $0 == 0)
        })
      bars.scale = 1
      bars.glyphs = state.glyphs
      _ = bars.draw(
        into: &canvas, x: right, y: y + 1, width: size.width - right - 1, height: max(0, size.height - y - 3))
      AttentionScreen.drawStatusLine(status(state, patch: patch, row: layout.row), into: &canvas)
    }
  }

  /// Where everything goes at this size: the image on the left, the heatmap and bars to its right.
  struct Layout {
    var image: ImageWidget
    var imageOrigin: (x: Int, y: Int)
    var heatmap: HeatmapWidget
    var heatmapOrigin: (x: Int, y: Int)
    /// The attention row shown, over [CLS] and every patch.
    var row: [Float]?

    init?(_ state: AppState, patch: PatchView, size: (width: Int, height: Int)) {
      let grid = patch.gridSize
      row = PatchScreen.attentionRow(state)
      let patches = row.map { Array($0.dropFirst()) } ?? Array(repeating: 0, count: grid * grid)
      let strongest = max(1e-9, patches.max() ?? 1)
      var heatmap = HeatmapWidget(
        data: HeatmapData(
          values: (0..<grid).map { r in Array(patches[(r * grid)..<((r + 1) * grid)]) },
          rowLabels: (0..<grid).map { "r\($0)" }, columnLabels: (0..<grid).map { "c\($0)" }),
        depth: state.depth)
      heatmap.glyphs = state.glyphs
      heatmap.range = 0...strongest  // scaled to the strongest patch, so small grids stay readable
      heatmap.columnLabelStyle = .horizontal
      heatmap.cellWidth = 3
      if state.patches.query > 0 {
        heatmap.cursor = ((state.patches.query - 1) / grid, (state.patches.query - 1) % grid)
      }
      self.heatmap = heatmap

      var image = ImageWidget(pixels: patch.pixels, width: patch.size, height: patch.size, depth: state.depth)
      image.glyphs = state.glyphs
      image.patchSize = patch.patchSize
      image.gridLines = true
      let top = 3
      let rightWidth = max(heatmap.size.width, 24) + 2
      image.fit(width: max(8, size.width - rightWidth - 3), height: size.height - top - 3)
      if image.size.height > size.height - top - 3 || image.size.width > size.width - rightWidth - 3 {
        image.gridLines = false
        image.fit(width: max(8, size.width - rightWidth - 3), height: size.height - top - 3)
      }
      if state.patches.overlay {
        image.brightness = (0..<(patch.size * patch.size)).map { index in
          let (y, x) = (index / patch.size, index % patch.size)
          let weight = patches[(y / patch.patchSize) * grid + x / patch.patchSize] / strongest
          return 0.3 + 0.7 * weight  // dimmed, never black, so the picture stays readable
        }
      }
      if state.patches.query > 0 {
        image.highlightedPatch = ((state.patches.query - 1) / grid, (state.patches.query - 1) % grid)
      }
      self.image = image
      imageOrigin = (1, top)
      heatmapOrigin = (1 + image.size.width + 3, top + 1)
    }
  }

  /// The selected token's attention over [CLS] and every patch, from the chosen source.
  static func attentionRow(_ state: AppState) -> [Float]? {
    let entries = state.trace.entries(stack: .encoder, kind: .self)
    guard entries.indices.contains(state.patches.layer) else { return nil }
    let entry = entries[state.patches.layer]
    let (n, q) = (entry.keys.count, state.patches.query)
    guard q < entry.queries.count else { return nil }
    switch state.patches.source {
    case .head(let head):
      return (0..<n).map { entry.weight(head: min(head, entry.heads - 1), query: q, key: $0) }
    case .meanOfHeads:
      return Array(AttentionRollout.headMean(entry)[(q * n)..<((q + 1) * n)])
    case .rollout:
      guard let rollouts = state.patches.view?.rollouts, rollouts.indices.contains(state.patches.layer) else {
        return nil
      }
      return Array(rollouts[state.patches.layer][(q * n)..<((q + 1) * n)])
    }
  }

  static func label(_ token: Int, _ patch: PatchView) -> String {
    token == 0 ? "[CLS]" : "p(\((token - 1) / patch.gridSize),\((token - 1) % patch.gridSize))"
  }

  static func sourceTitle(_ state: AppState) -> String {
    let layers = state.trace.entries(stack: .encoder, kind: .self)
    let heads = layers.first?.heads ?? 0
    let source: String
    switch state.patches.source {
    case .head(let head): source = "head \(head + 1)/\(heads)"
    case .meanOfHeads: source = "mean of \(heads) heads"
    case .rollout: source = "rollout through layers 1–\(state.patches.layer + 1)"
    }
    return
      "layer \(state.patches.layer + 1)/\(layers.count)  \(source)\(state.patches.overlay ? "" : "  (overlay off)")"
  }

  static func status(_ state: AppState, patch: PatchView, row: [Float]?) -> String {
    var parts = [" \(state.trace.model)", patch.imageName, "from \(label(state.patches.query, patch))"]
    if let row, let strongest = row.indices.dropFirst().max(by: { row[$0] < row[$1] }) {
      parts.append(String(format: "most to %@ %.3f", label(strongest, patch), row[strongest]))
    }
    if let best = patch.predictions.first {
      parts.append(String(format: "predicted %@ %.1f%%", best.label, best.probability * 100))
    }
    return parts.joined(separator: " │ ")
  }

  /// The token under a mouse click on the image or the heatmap, if any.
  static func token(at mouse: MouseEvent, state: AppState, size: (width: Int, height: Int)) -> Int? {
    guard let patch = state.patches.view, let layout = Layout(state, patch: patch, size: size) else {
      return nil
    }
    let grid = patch.gridSize
    if let pixel = layout.image.pixel(atX: mouse.x - layout.imageOrigin.x, y: mouse.y - layout.imageOrigin.y)
    {
      return 1 + (pixel.y / patch.patchSize) * grid + pixel.x / patch.patchSize
    }
    if let hit = layout.heatmap.entry(
      atX: mouse.x - layout.heatmapOrigin.x, y: mouse.y - layout.heatmapOrigin.y)
    {
      return 1 + hit.row * grid + hit.column
    }
    return nil
  }
}

/// Keys of the patch screen.
func handlePatches(_ key: Key, _ state: inout AppState) {
  guard let patch = state.patches.view else { return }
  let grid = patch.gridSize
  let heads = state.trace.entries(stack: .encoder, kind: .self).first?.heads ?? 1
  let layers = state.trace.entries(stack: .encoder, kind: .self).count
  var (row, column) =
    state.patches.query == 0 ? (0, 0) : ((state.patches.query - 1) / grid, (state.patches.query - 1) % grid)
  let fromClass = state.patches.query == 0
  switch key {
  case .up, .character("k"): row = fromClass ? 0 : max(0, row - 1)
  case .down, .character("j"): row = fromClass ? 0 : min(grid - 1, row + 1)
  case .left, .character("h"): column = fromClass ? 0 : max(0, column - 1)
  case .right, .character("l"): column = fromClass ? 0 : min(grid - 1, column + 1)
  case .character("c"):
    state.patches.query = 0
    return
  case .character("]"):
    if case .head(let head) = state.patches.source, head + 1 < heads {
      state.patches.source = .head(head + 1)
    } else {
      state.patches.source = state.patches.source == .meanOfHeads ? .head(0) : .meanOfHeads
    }
    return
  case .character("["):
    if case .head(let head) = state.patches.source {
      state.patches.source = head == 0 ? .meanOfHeads : .head(head - 1)
    } else {
      state.patches.source = .head(heads - 1)
    }
    return
  case .character("m"):
    state.patches.source = .meanOfHeads
    return
  case .character("r"):
    state.patches.source = state.patches.source == .rollout ? .meanOfHeads : .rollout
    return
  case .character(">"), .character("."):
    state.patches.layer = min(layers - 1, state.patches.layer + 1)
    return
  case .character("<"), .character(","):
    state.patches.layer = max(0, state.patches.layer - 1)
    return
  case .character("v"):
    state.patches.overlay.toggle()
    return
  default: return
  }
  state.patches.query = 1 + row * grid + column
}
