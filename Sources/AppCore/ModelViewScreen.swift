// Screen 5: every layer × head of one stack and kind as a grid of dense thumbnails (BertViz's
// "model view", Vig 2019), pooled to fit; the cursor is the attention screen's own layer and head,
// so Enter opens the same one there. A grid larger than the terminal scrolls with the cursor.
// Under each thumbnail, its sink mass (the mean weight on key 0, AttentionSink.swift); with grouped
// K/V heads, a rule between the groups and the selected head's group picked out in the labels.
import Foundation
import Render
import Trace

public enum ModelViewScreen {
  /// Where the thumbnails go: `cellWidth` × `cellHeight` per layer/head, the thumbnail inside it.
  struct Layout {
    var left: Int
    var top: Int
    var cellWidth: Int
    var cellHeight: Int
    var thumbWidth: Int
    var thumbHeight: Int
    var layers: Range<Int>
    var heads: Range<Int>

    func origin(layer: Int, head: Int) -> (x: Int, y: Int) {
      (left + (head - heads.lowerBound) * cellWidth, top + (layer - layers.lowerBound) * cellHeight)
    }
  }

  /// Columns of the "L12" labels.
  static let labelWidth = 4
  /// Thumbnails never get smaller than this (cells), plus a one-cell gap.
  static let minimumThumb = (width: 3, height: 1)

  public static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    AppView.screen(state, size: size) { canvas, x in
      let entries = state.layerEntries
      guard let entry = state.entry, let layout = layout(state, size: size) else {
        canvas.put("nothing to show: the trace has no attention", x: 1, y: 3)
        AttentionScreen.drawStatusLine(" \(state.trace.model) │ model view", into: &canvas)
        return
      }
      canvas.put(
        "\(entry.stack.rawValue) \(entry.kind.rawValue) · \(entries.count) layers × \(entry.heads) heads",
        x: x, y: 1, attributes: [.bold], maxWidth: max(0, size.width - x - 1))
      if state.headMetrics.ranked, state.headMetrics.metric != nil {
        HeadMetricView.drawRanking(state, into: &canvas)
        AttentionScreen.drawStatusLine(status(state, entry: entry), into: &canvas)
        return
      }
      drawLabels(state, layout: layout, into: &canvas)
      for layer in layout.layers where entries.indices.contains(layer) {
        for head in layout.heads where head < entries[layer].heads {
          drawThumbnail(entries[layer], head: head, state: state, layout: layout, into: &canvas)
        }
      }
      drawGroupRules(entry, layout: layout, state: state, into: &canvas)
      AblationView.markModelView(state, layout: layout, into: &canvas)
      drawInfoLine(state, entry: entry, into: &canvas)
      drawLegend(state, into: &canvas)
      AttentionScreen.drawStatusLine(status(state, entry: entry), into: &canvas)
    }
  }

  /// The grid for this state and size, scrolled so the cursor's layer and head are visible;
  /// nil when there is nothing to draw.
  static func layout(_ state: AppState, size: (width: Int, height: Int)) -> Layout? {
    let entries = state.layerEntries
    guard let entry = state.entry, entry.heads > 0 else { return nil }
    // Head labels on row 2; the info lines, legend, notice and status below.
    let (top, bottom) = (3, size.height - 4 - infoLines(entry))
    let (left, right) = (labelWidth, size.width - 1)
    let (availableWidth, availableHeight) = (right - left, bottom - top + 1)
    guard availableWidth > 0, availableHeight > 0 else { return nil }
    let rows = entry.queries.count
    let columns = max(1, entry.keys.count)
    // As large as fits, but no larger than about four cells per key, and no taller than square
    // matrix pixels need (a cell is about twice as tall as wide).
    var cellWidth = max(minimumThumb.width + 1, availableWidth / entry.heads)
    cellWidth = min(cellWidth, max(minimumThumb.width, 4 * columns) + 1)
    var cellHeight = max(minimumThumb.height + 1, availableHeight / max(1, entries.count))
    var thumbWidth = cellWidth - 1
    let squareHeight = max(1, Int((Double(thumbWidth * rows) / Double(columns) / 2).rounded()))
    cellHeight = min(cellHeight, squareHeight + 1)
    let thumbHeight = cellHeight - 1
    // Width is never given up for squareness: with little height, wider thumbnails still show more.
    thumbWidth = max(minimumThumb.width, thumbWidth)
    cellWidth = thumbWidth + 1
    let layers = Pan.window(
      count: entries.count, visible: max(1, availableHeight / cellHeight), cursor: state.layer)
    let heads = Pan.window(
      count: entry.heads, visible: max(1, availableWidth / cellWidth), cursor: state.head)
    return Layout(
      left: left, top: top, cellWidth: cellWidth, cellHeight: cellHeight, thumbWidth: thumbWidth,
      thumbHeight: thumbHeight, layers: layers, heads: heads)
  }

  static func drawLabels(_ state: AppState, layout: Layout, into canvas: inout Canvas) {
    let sharing = state.entry.map { $0.headsSharingKeys(with: state.head) } ?? state.head..<(state.head + 1)
    let grouped = state.entry.flatMap(KeyValueSharing.groupCount) != nil
    for head in layout.heads {
      let x = layout.origin(layer: layout.layers.lowerBound, head: head).x
      // "H4 kv2" where there is room: which K/V head each query head reads.
      let kv = state.entry.map { " kv\($0.keyValueHead(of: head) + 1)" } ?? ""
      let label = grouped && layout.thumbWidth >= 4 + kv.count ? "H\(head + 1)" + kv : "H\(head + 1)"
      let attributes: CellAttributes =
        head == state.head ? [.bold, .reverse] : grouped && sharing.contains(head) ? [.bold] : [.dim]
      canvas.put(
        Heatmap.fitted(label, layout.thumbWidth, ellipsis: state.glyphs.ellipsis), x: x, y: 2,
        attributes: attributes)
    }
    for layer in layout.layers {
      let y = layout.origin(layer: layer, head: layout.heads.lowerBound).y + (layout.thumbHeight - 1) / 2
      canvas.put(
        "L\(layer + 1)", x: 0, y: y, attributes: layer == state.layer ? [.bold, .reverse] : [.dim],
        maxWidth: labelWidth - 1)
    }
    // Arrows where the grid continues off screen.
    let count = state.layerEntries.count
    let heads = state.entry?.heads ?? 0
    let glyphs = state.glyphs
    if layout.layers.lowerBound > 0 {
      canvas[labelWidth - 1, layout.top] = Cell(glyphs.arrowUp, attributes: [.bold])
    }
    if layout.layers.upperBound < count {
      let y = layout.top + layout.layers.count * layout.cellHeight - 2
      canvas[labelWidth - 1, y] = Cell(glyphs.arrowDown, attributes: [.bold])
    }
    if layout.heads.lowerBound > 0 { canvas[labelWidth - 1, 2] = Cell(glyphs.arrowLeft, attributes: [.bold]) }
    if layout.heads.upperBound < heads {
      canvas[canvas.width - 1, 2] = Cell(glyphs.arrowRight, attributes: [.bold])
    }
  }

  static func drawThumbnail(
    _ entry: AttentionEntry, head: Int, state: AppState, layout: Layout, into canvas: inout Canvas
  ) {
    let hides = state.selections.hidesSink && entry.keys.count > 1
    let coloured = HeadMetricView.cell(state, entry, head: head)
    let matrix =
      coloured.map { ($0.matrix, $0.masked) }
      ?? (hides
        ? AttentionSink.hidden(entry, head: head)
        : (entry.weightMatrix(head: head), AttentionSink.maskMatrix(entry, head: head)))
    var widget = DenseHeatmapWidget(values: matrix.0, masked: matrix.1, depth: state.depth)
    widget.glyphs = state.glyphs
    let (x, y) = layout.origin(layer: entry.layer, head: head)
    widget.draw(
      into: &canvas, x: x, y: y, width: layout.thumbWidth, height: layout.thumbHeight, stretch: true)
    let selected = entry.layer == state.layer && head == state.head
    defer { drawSinkMass(entry, head: head, selected: selected, state: state, layout: layout, into: &canvas) }
    guard selected else { return }
    // The cursor: an underline in the gap row, or reverse video on the labels alone when there is none.
    if layout.cellHeight > layout.thumbHeight {
      for column in 0..<layout.thumbWidth {
        canvas[x + column, y + layout.thumbHeight] = Cell(
          state.glyphs.box.horizontal, foreground: .ansi(11), attributes: [.bold])
      }
    }
    if layout.cellWidth > layout.thumbWidth {
      canvas[x + layout.thumbWidth, y] = Cell(
        state.glyphs.arrowLeft, foreground: .ansi(11), attributes: [.bold])
    }
  }

  /// The thumbnail's sink mass in the row below it ("0.62", ".62" where 3 columns is all there
  /// is): bold from 0.5 up, where the sink takes most of the weight.
  static func drawSinkMass(
    _ entry: AttentionEntry, head: Int, selected: Bool, state: AppState, layout: Layout,
    into canvas: inout Canvas
  ) {
    let (x, y) = layout.origin(layer: entry.layer, head: head)
    let mass = AttentionSink.meanMass(entry, head: head)
    var text = AttentionSink.format(mass)
    if let coloured = HeadMetricView.cell(state, entry, head: head) {
      text = HeadMetricView.label(coloured.value)
    }
    if layout.thumbWidth < 4, text.hasPrefix("0.") { text.removeFirst() }
    if layout.thumbWidth < 4, text == "1.00" { text = "1.0" }
    let strong = (mass ?? 0) >= 0.5
    canvas.put(
      text, x: x, y: y + layout.thumbHeight, foreground: selected ? .ansi(11) : .terminalDefault,
      attributes: selected || strong ? [.bold] : [.dim], maxWidth: layout.thumbWidth)
  }

  /// A dim rule in the gap after the last query head of each K/V group, down the whole grid.
  static func drawGroupRules(
    _ entry: AttentionEntry, layout: Layout, state: AppState, into canvas: inout Canvas
  ) {
    guard let groups = KeyValueSharing.groupCount(entry), layout.cellWidth > layout.thumbWidth else { return }
    let size = entry.heads / groups
    for head in layout.heads where (head + 1) % size == 0 && head + 1 < layout.heads.upperBound {
      let x = layout.origin(layer: layout.layers.lowerBound, head: head).x + layout.thumbWidth
      for row in 0..<(layout.layers.count * layout.cellHeight)
      where canvas[x, layout.top + row].character == " " {
        canvas[x, layout.top + row] = Cell(state.glyphs.box.vertical, attributes: [.dim])
      }
    }
  }

  /// Lines between the grid and the legend: the sink's, and the K/V groups' where heads share.
  static func infoLines(_ entry: AttentionEntry) -> Int {
    KeyValueSharing.groupCount(entry) == nil ? 1 : 2
  }

  /// Above the legend: the K/V grouping and the selected head's group, then what the numbers are
  /// and whether the sink is hidden.
  static func drawInfoLine(_ state: AppState, entry: AttentionEntry, into canvas: inout Canvas) {
    guard let first = entry.keys.first else { return }
    let sink =
      HeadMetricView.infoLine(state)
      ?? (state.selections.hidesSink
        ? AttentionSink.hiddenNote(firstKey: first) + "; numbers: its mass"
        : "numbers: each head's mass on the sink '\(first)' (key 1) · w hides it · c colours by metric")
    canvas.put(
      Heatmap.fitted(sink, canvas.width - 2, ellipsis: state.glyphs.ellipsis), x: 1, y: canvas.height - 4,
      foreground: state.selections.hidesSink ? .ansi(11) : .terminalDefault,
      attributes: state.selections.hidesSink ? [.bold] : [.dim])
    guard let summary = KeyValueSharing.summary(entry),
      let sharing = KeyValueSharing.description(entry, head: state.head)
    else { return }
    canvas.put(
      Heatmap.fitted(
        "\(summary) · H\(state.head + 1): \(sharing)", canvas.width - 2, ellipsis: state.glyphs.ellipsis),
      x: 1, y: canvas.height - 5, attributes: [.dim])
  }

  static func drawLegend(_ state: AppState, into canvas: inout Canvas) {
    var legend = LegendWidget(depth: state.depth)
    legend.glyphs = state.glyphs
    let used = legend.draw(into: &canvas, x: 1, y: canvas.height - 3)
    canvas.put(
      HeadMetricView.legendNote(state) ?? "  max-pooled · Enter: open on screen 1", x: 1 + used,
      y: canvas.height - 3, attributes: [.dim],
      maxWidth: max(0, canvas.width - used - 2))
  }

  static func status(_ state: AppState, entry: AttentionEntry) -> String {
    let hides = state.selections.hidesSink && entry.keys.count > 1
    let weights =
      hides ? AttentionSink.hidden(entry, head: state.head).values : entry.weightMatrix(head: state.head)
    var best = (query: 0, key: 0, weight: Float(-1))
    for (q, row) in weights.enumerated() {
      for (k, weight) in row.enumerated() where weight > best.weight { best = (q, k, weight) }
    }
    let strongest =
      weights.isEmpty || entry.keys.isEmpty
      ? ""
      : " │ strongest '\(entry.queries[best.query])' → '\(entry.keys[best.key + (hides ? 1 : 0)])' "
        + String(format: "%.3f", Double(best.weight))
    return " \(state.trace.model) │ model view │ \(entry.stack.rawValue) \(entry.kind.rawValue) │ layer "
      + "\(state.layer + 1)/\(state.layerEntries.count) head \(state.head + 1)/\(entry.heads)"
      + " │ sink \(AttentionSink.format(AttentionSink.meanMass(entry, head: state.head)))" + strongest
  }

  /// The layer and head of the thumbnail under a mouse click, if any.
  static func thumbnail(at mouse: MouseEvent, state: AppState, size: (width: Int, height: Int))
    -> (layer: Int, head: Int)?
  {
    guard let layout = layout(state, size: size), mouse.x >= layout.left, mouse.y >= layout.top else {
      return nil
    }
    let layer = layout.layers.lowerBound + (mouse.y - layout.top) / layout.cellHeight
    let head = layout.heads.lowerBound + (mouse.x - layout.left) / layout.cellWidth
    guard layout.layers.contains(layer), layout.heads.contains(head) else { return nil }
    return (layer, head)
  }
}
