// The strip under the attention screen's heatmap: every head of the layer as a small half-block
// thumbnail, the selected one (shown large above) highlighted — the "all heads at a glance" row of
// BertViz's head view, offered whenever the heads fit side by side (`t` hides it).
import Render
import Trace

enum HeadStrip {
  struct Layout {
    /// Terminal rows the strip takes, its label row and a gap above included.
    var height: Int
    var top: Int
    var thumbnailWidth: Int
    var thumbnailRows: Int
  }

  /// Where the strip goes, or nil when it is off, the layer has one head, or the thumbnails would
  /// be too narrow or would take rows the heatmap needs to show every query.
  static func layout(_ state: AppState, entry: AttentionEntry, area: AttentionArea, cellWidth: Int) -> Layout?
  {
    guard state.selections.headStrip, entry.heads > 1 else { return nil }
    // Each thumbnail as wide as its share of the row allows, up to 16 columns (stretched from a
    // short input, pooled from a long one), at least 4.
    let width = min(16, (area.width + 1) / entry.heads - 1)
    guard width >= 4 else { return nil }
    let rows = min((entry.queries.count + 1) / 2, 4)
    let height = rows + 2
    // The heatmap keeps one row per query and its header (at most 10 rows of vertical labels).
    let header = min(10, entry.keys.map(\.count).max() ?? 0)
    guard area.height - height >= entry.queries.count + min(header, cellWidth > 1 ? 3 : header) else {
      return nil
    }
    return Layout(
      height: height, top: AttentionScreen.headerRows + area.height - height + 1, thumbnailWidth: width,
      thumbnailRows: rows)
  }

  static func draw(
    _ state: AppState, entry: AttentionEntry, layout: Layout, into canvas: inout Canvas, x: Int
  ) {
    let keyOffset = AttentionOverview.shownKeyOffset(state, entry: entry)
    for head in 0..<entry.heads {
      let left = x + head * (layout.thumbnailWidth + 1)
      let selected = head == state.head
      canvas.put(
        Heatmap.fitted("h\(head + 1)", layout.thumbnailWidth), x: left, y: layout.top,
        attributes: selected ? [.reverse, .bold] : [.dim])
      var values = entry.weightMatrix(head: head)
      var masked = AttentionSink.maskMatrix(entry, head: head)
      if keyOffset == 1 {
        let hidden = AttentionSink.hidden(entry, head: head)
        (values, masked) = (hidden.values, hidden.masked)
      }
      var widget = DenseHeatmapWidget(values: values, masked: masked, depth: state.depth)
      widget.glyphs = state.glyphs
      widget.draw(
        into: &canvas, x: left, y: layout.top + 1, width: layout.thumbnailWidth, height: layout.thumbnailRows,
        stretch: true)
    }
  }
}
