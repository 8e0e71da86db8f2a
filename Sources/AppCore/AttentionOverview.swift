// The attention screen for inputs wider than the window: the head pooled into the screen (max or
// mean, named in the caption, `p` switches), half blocks giving two query rows per terminal row;
// query numbers down the left, key numbers above, the cursor's cell in reverse video with its
// exact row and column in the caption. Pooled grids come from the state's AttentionMemo.
import Foundation
import Render
import Trace

enum AttentionOverview {
  /// Draws the overview at `divisor` into the area from (x, y); returns nothing to click.
  static func draw(
    _ state: AppState, entry: AttentionEntry, area: AttentionArea, divisor: Int, into canvas: inout Canvas,
    x: Int, y: Int
  ) {
    let keyOffset = shownKeyOffset(state, entry: entry)
    let cursorKey = state.cursorColumn - keyOffset
    let window = area.window(divisor: divisor, cursorRow: state.cursorRow, cursorKey: cursorKey)
    let grid = pooledGrid(state, entry: entry, window: window, keyOffset: keyOffset)
    let pooling = state.selections.attentionPooling
    // Max keeps the 0…1 scale of every other heatmap; a mean of n keys is about 1/n, so its scale
    // is the largest mean on screen, and the caption says so.
    let largest = grid.joined().compactMap { $0 }.max() ?? 0
    let top: Float = pooling == .mean ? max(largest, .leastNormalMagnitude) : 1
    drawCaption(
      state, entry: entry, window: window, top: top, keyOffset: keyOffset, into: &canvas, x: x, y: y,
      width: area.width)
    var widget = DenseHeatmapWidget(
      values: grid.map { $0.map { $0 ?? 0 } }, masked: grid.map { $0.map { $0 == nil } }, depth: state.depth)
    widget.glyphs = state.glyphs
    widget.range = 0...top
    let boxX = x + area.overviewAxisWidth
    let boxY = y + AttentionArea.overviewCaptionRows
    widget.draw(into: &canvas, x: boxX, y: boxY)
    // The cursor's cell, and markers on both axes.
    let cursorCell = (
      row: (state.cursorRow - window.firstRow) / window.rowsPerCell / area.rowsPerCell,
      column: (cursorKey - window.firstKey) / window.keysPerCell
    )
    canvas[boxX + cursorCell.column, boxY + cursorCell.row].attributes.insert(.reverse)
    drawRowAxis(window: window, area: area, cursorRow: cursorCell.row, into: &canvas, x: x, y: boxY)
    drawKeyAxis(
      window: window, cursorColumn: cursorCell.column, cursorKey: cursorKey + keyOffset,
      keyOffset: keyOffset, into: &canvas, x: boxX, y: y + 1, right: x + area.width)
  }

  /// 1 while the sink is hidden (the shown matrix starts at key 1), else 0.
  static func shownKeyOffset(_ state: AppState, entry: AttentionEntry) -> Int {
    state.selections.hidesSink && entry.keys.count > 1 ? 1 : 0
  }

  static func pooledGrid(_ state: AppState, entry: AttentionEntry, window: PoolingWindow, keyOffset: Int)
    -> [[Float?]]
  {
    var shifted = window
    shifted.firstKey += keyOffset
    let pooling = state.selections.attentionPooling
    let key = AttentionMemo.Key(
      trace: state.traceGeneration, kind: state.kindIndex, layer: state.layer, head: state.head,
      window: shifted, pooling: "\(pooling)", hidesSink: keyOffset == 1)
    return state.attentionMemo.grid(key) {
      AttentionPooling.pool(
        entry, head: state.shownHead, window: shifted, pooling: pooling, hidesSink: keyOffset == 1)
    }
  }

  /// "max-pooled · 64 × 59 per cell · row 37/4096 'the' · key 12/4096 'cat' · p mean  z closer".
  static func drawCaption(
    _ state: AppState, entry: AttentionEntry, window: PoolingWindow, top: Float, keyOffset: Int,
    into canvas: inout Canvas, x: Int, y: Int, width: Int
  ) {
    let pooling = state.selections.attentionPooling
    let name = pooling == .mean ? "mean" : "max"
    let other = pooling == .mean ? "max" : "mean"
    let per =
      window.rowsPerCell == 1 && window.keysPerCell == 1
      ? "one key per cell"
      : "\(window.rowsPerCell) queries × \(window.keysPerCell) keys per cell"
    let scale = pooling == .mean ? String(format: ", colours 0–%.3g", top) : ""
    let text =
      "\(name)-pooled\(scale) · \(per) · p \(other)  z Z zoom  / find"
    canvas.put(
      Heatmap.fitted(text, width, ellipsis: state.glyphs.ellipsis), x: x, y: y, foreground: .ansi(14),
      attributes: [.bold])
  }

  /// Query numbers (1-based, each the first query of its cell) every few rows, the cursor's always.
  static func drawRowAxis(
    window: PoolingWindow, area: AttentionArea, cursorRow: Int, into canvas: inout Canvas, x: Int, y: Int
  ) {
    let perRow = window.rowsPerCell * area.rowsPerCell
    let rows = (window.rows + area.rowsPerCell - 1) / area.rowsPerCell
    let width = area.overviewAxisWidth - 1
    for row in 0..<rows where row % 4 == 0 || row == cursorRow {
      let number = String(window.firstRow + row * perRow + 1)
      let text = String(repeating: " ", count: max(0, width - 1 - number.count)) + number
      canvas.put(
        text + (row == cursorRow ? "▶" : " "), x: x, y: y + row,
        attributes: row == cursorRow ? [.bold] : [.dim])
    }
  }

  /// Key numbers (1-based) at the window's first column and then every 10 columns where they fit,
  /// with the cursor's key number and "▼" above its column.
  static func drawKeyAxis(
    window: PoolingWindow, cursorColumn: Int, cursorKey: Int, keyOffset: Int, into canvas: inout Canvas,
    x: Int, y: Int, right: Int
  ) {
    var column = 0
    while column < window.columns {
      let number = String(window.firstKey + keyOffset + column * window.keysPerCell + 1)
      let far = abs(column - cursorColumn) > number.count + String(cursorKey + 1).count + 1
      if far, x + column + number.count < right {
        canvas.put(number, x: x + column, y: y, attributes: [.dim])
      }
      column += max(10, number.count + 2)
    }
    let label = "▼\(cursorKey + 1)"
    let start = min(x + cursorColumn, right - label.count)
    canvas.put(label, x: max(x, start), y: y, attributes: [.bold])
    if start < x + cursorColumn { canvas.put("▼", x: x + cursorColumn, y: y, attributes: [.bold]) }
  }

  /// The (query, key) of the first entry under a click in the overview's box.
  static func entry(
    at point: (x: Int, y: Int), state: AppState, entry: AttentionEntry, area: AttentionArea, divisor: Int
  ) -> (Int, Int)? {
    let keyOffset = shownKeyOffset(state, entry: entry)
    let window = area.window(
      divisor: divisor, cursorRow: state.cursorRow, cursorKey: state.cursorColumn - keyOffset)
    let (column, row) = (point.x - area.overviewAxisWidth, point.y - AttentionArea.overviewCaptionRows)
    guard column >= 0, row >= 0, column < window.columns, row * area.rowsPerCell < window.rows else {
      return nil
    }
    let query = window.firstRow + row * area.rowsPerCell * window.rowsPerCell
    let key = window.firstKey + column * window.keysPerCell + keyOffset
    return (min(query, entry.queries.count - 1), min(key, entry.keys.count - 1))
  }
}
