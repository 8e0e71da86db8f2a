// Screen 7: a positional encoding as a matrix (positions down, dimensions across, diverging colours
// centred on 0) beside its cosine-similarity matrix cos(PE_i, PE_j). For an image model's table
// with a patch grid the similarity pane shows, as Dosovitskiy et al. 2021 (ViT) fig. 7 does, one
// small map per patch: that patch's similarity to every other patch, laid out on the grid. A rotary
// table (RotaryReading.swift) is labelled as what it is: sin/cos of each pair's angle on the left,
// q·k against distance on the right, as a matrix or (`f`) as one fall-off curve.
import Foundation
import Render

public enum PositionalEncodingScreen {
  /// The inside of a bordered pane, with one row and column kept for the cursor's markers.
  struct Pane {
    var x: Int
    var y: Int
    var width: Int
    var height: Int
  }

  public static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    AppView.screen(state, size: size) { canvas, x in
      let table = PositionalEncoding.selected(state)
      let sources = state.positionalTables.count + 1
      canvas.put(
        "\(table.name) · source \(state.selections.positionalSource + 1)/\(sources) (m)", x: x, y: 1,
        attributes: [.bold], maxWidth: max(0, size.width - x - 1))
      guard !table.values.isEmpty, !(table.values.first?.isEmpty ?? true) else {
        canvas.put("this table is empty", x: 1, y: 3)
        AttentionScreen.drawStatusLine(" \(state.trace.model) │ positions", into: &canvas)
        return
      }
      let rotary = RotaryReading.of(table)
      let plot = rotary != nil && state.selections.rotaryPlot
      // The plot needs only the curve: the O(n²·d) matrix is not computed for it.
      let similarity = plot ? [] : state.positionalMemo.cosineSimilarity(similarityRows(table))
      let (left, right) = panes(size)
      let focus = state.selections.positionalFocus
      let encodingInner = BoxBorder.draw(
        into: &canvas, x: left.x, y: left.y, width: left.width, height: left.height,
        title: rotary.map {
          RotaryReading.longestFitting($0.encodingTitles(positions: table.values.count), left.width - 5)
        } ?? "PE: \(table.values.count) positions × \(table.values[0].count) dimensions",
        glyphs: state.glyphs, attributes: focus == .encoding ? [.bold] : [.dim])
      drawEncoding(table, state: state, in: encodingInner, into: &canvas)
      drawPoolingNote(table, state: state, pane: left, inner: encodingInner, into: &canvas)
      if let rotary {  // the frequencies run left (fast) to right (slow): say how fast
        canvas.put(
          " " + RotaryReading.longestFitting(rotary.wavelengthRange, left.width - 6) + " ",
          x: left.x + 2, y: left.y + left.height - 1, attributes: focus == .encoding ? [.bold] : [.dim])
      }
      let gridMode = table.grid != nil && state.selections.patchMaps
      let similarityInner = BoxBorder.draw(
        into: &canvas, x: right.x, y: right.y, width: right.width, height: right.height,
        title: rotary.map { RotaryReading.longestFitting($0.similarityTitles(plot: plot), right.width - 5) }
          ?? (gridMode ? "cos similarity of each patch to every patch" : "cos(PE_i, PE_j)"),
        glyphs: state.glyphs, attributes: focus == .similarity ? [.bold] : [.dim])
      if let rotary, plot {
        FallOffPlot.draw(
          rotary.falloffCurve(count: table.values.count), cursor: distance(state, table: table),
          glyphs: state.glyphs, in: similarityInner, into: &canvas)
      } else if gridMode, let grid = table.grid {
        drawPatchMaps(similarity, grid: grid, state: state, in: similarityInner, into: &canvas)
      } else {
        drawSimilarity(similarity, state: state, in: similarityInner, into: &canvas)
      }
      if let rotary {
        // Both panes are in [−1, 1]: one scale, then the cursor's fall-off in a line.
        let scale = drawScale(-1...1, label: "", state: state, into: &canvas, x: 1, y: size.height - 3)
        let distance = distance(state, table: table)
        canvas.put(
          "│ q·k at distance \(distance): " + String(format: "%.3f", rotary.falloff(distance: distance))
            + " of its value at 0", x: 1 + scale, y: size.height - 3, maxWidth: max(0, size.width - scale - 2)
        )
      } else {
        let scale = drawScale(
          ValueRange.symmetric(table.values), label: "PE", state: state, into: &canvas, x: 1,
          y: size.height - 3)
        drawScale(-1...1, label: "cosine", state: state, into: &canvas, x: 1 + scale + 3, y: size.height - 3)
      }
      AttentionScreen.drawStatusLine(status(state, table: table, similarity: similarity), into: &canvas)
    }
  }

  /// The similarity cursor's distance |p − q| (the plot's cursor is the distance itself).
  static func distance(_ state: AppState, table: PositionalTable) -> Int {
    let count = table.values.count
    let cursor = state.selections.similarityCursor
    if state.selections.rotaryPlot { return min(max(0, cursor.column), max(0, count - 1)) }
    let clamped = clampedCursor(cursor, count, count)
    return abs(clamped.row - clamped.column)
  }

  /// Left and right panes between the tabs and the legend.
  static func panes(_ size: (width: Int, height: Int)) -> (Pane, Pane) {
    let (top, height) = (2, max(0, size.height - 5))
    let half = size.width / 2
    return (
      Pane(x: 0, y: top, width: half, height: height),
      Pane(x: half, y: top, width: size.width - half, height: height)
    )
  }

  /// The rows the similarity compares: every row, or only the patches of a grid.
  static func similarityRows(_ table: PositionalTable) -> [[Float]] {
    guard let grid = table.grid else { return table.values }
    let patches = table.values.dropFirst(grid.leadingRows).prefix(grid.rows * grid.columns)
    return Array(patches)
  }

  static func drawEncoding(
    _ table: PositionalTable, state: AppState, in inner: (x: Int, y: Int, width: Int, height: Int),
    into canvas: inout Canvas
  ) {
    var widget = DenseHeatmapWidget(values: table.values, depth: state.depth)
    widget.glyphs = state.glyphs
    widget.useDivergingScale()
    widget.pooling = state.selections.positionalPooling
    let cursor = clampedCursor(state.selections.encodingCursor, table.values.count, table.values[0].count)
    drawMatrix(widget, cursor: cursor, state: state, in: inner, into: &canvas, square: false)
  }

  static func drawSimilarity(
    _ similarity: [[Float]], state: AppState, in inner: (x: Int, y: Int, width: Int, height: Int),
    into canvas: inout Canvas
  ) {
    var widget = DenseHeatmapWidget(values: similarity, depth: state.depth)
    widget.glyphs = state.glyphs
    widget.colorMap = .diverging
    widget.range = -1...1
    widget.pooling = .mean
    let cursor = clampedCursor(state.selections.similarityCursor, similarity.count, similarity.count)
    drawMatrix(widget, cursor: cursor, state: state, in: inner, into: &canvas, square: true)
  }

  /// The matrix one cell in from the pane's corner, with ▶ and ▼-style markers (the glyph set's
  /// arrows) in that spare row and column pointing at the cursor's row and column.
  static func drawMatrix(
    _ widget: DenseHeatmapWidget, cursor: GridPoint, state: AppState,
    in inner: (x: Int, y: Int, width: Int, height: Int), into canvas: inout Canvas, square: Bool
  ) {
    var (width, height) = (inner.width - 1, inner.height - 1)
    guard width > 0, height > 0 else { return }
    if square {  // keep a square matrix square: a cell is about twice as tall as wide
      let side = min(width, height * 2)
      (width, height) = (side, max(1, side / 2))
    }
    let box = widget.draw(
      into: &canvas, x: inner.x + 1, y: inner.y + 1, width: width, height: height, stretch: true)
    let (rows, columns) = widget.matrixSize
    guard rows > 0, columns > 0, box.width > 0, box.height > 0 else { return }
    let markerY = inner.y + 1 + cursor.row * box.height / rows
    let markerX = inner.x + 1 + cursor.column * box.width / columns
    canvas[inner.x, markerY] = Cell(state.glyphs.arrowRight, foreground: .ansi(11), attributes: [.bold])
    canvas[markerX, inner.y] = Cell(state.glyphs.arrowDown, foreground: .ansi(11), attributes: [.bold])
  }

  /// Where the table is shrunk to the pane, its bottom border says how (right-aligned, clear of
  /// a rotary table's wavelengths on the left): "mean of 3 dims per cell · p: max |·|".
  static func drawPoolingNote(
    _ table: PositionalTable, state: AppState, pane: Pane, inner: (x: Int, y: Int, width: Int, height: Int),
    into canvas: inout Canvas
  ) {
    var widget = DenseHeatmapWidget(values: table.values, depth: state.depth)
    widget.glyphs = state.glyphs
    let box = widget.fittedSize(width: inner.width - 1, height: inner.height - 1, stretch: true)
    let (rows, columns) = widget.matrixSize
    let perColumn = (columns + max(1, box.width) - 1) / max(1, box.width)
    let perRow =
      (rows + max(1, box.height * widget.rowsPerCell) - 1) / max(1, box.height * widget.rowsPerCell)
    guard perColumn > 1 || perRow > 1 else { return }
    let mean = state.selections.positionalPooling == .mean
    let what = mean ? "mean" : "largest |·|"
    let other = mean ? "max |·|" : "mean"
    let per = [perRow > 1 ? "\(perRow) positions" : nil, perColumn > 1 ? "\(perColumn) dims" : nil]
      .compactMap { $0 }.joined(separator: " × ")
    let note = " \(what) of \(per) per cell · p \(other) "
    let width = TerminalText.columns(of: note)
    guard width + 4 < pane.width else { return }
    canvas.put(
      note, x: pane.x + pane.width - width - 2, y: pane.y + pane.height - 1, foreground: .ansi(14),
      attributes: [.bold])
  }

  /// ViT fig. 7: map (r, c) shows cos(patch (r, c), patch (r′, c′)) at (r′, c′).
  static func drawPatchMaps(
    _ similarity: [[Float]], grid: PatchGrid, state: AppState,
    in inner: (x: Int, y: Int, width: Int, height: Int), into canvas: inout Canvas
  ) {
    let (rows, columns) = (grid.rows, grid.columns)
    guard rows > 0, columns > 0, similarity.count >= rows * columns else { return }
    var mapWidth = max(1, inner.width / columns - 1)
    var mapHeight = max(1, inner.height / rows - 1)
    mapHeight = min(mapHeight, max(1, (mapWidth * rows + columns) / (2 * columns)))
    mapWidth = min(mapWidth, max(1, mapHeight * 2 * columns / rows))
    let selected = min(max(0, state.selections.similarityCursor.row), rows * columns - 1)
    for patch in 0..<(rows * columns) {
      let (r, c) = (patch / columns, patch % columns)
      let map = (0..<rows).map { r2 in (0..<columns).map { c2 in similarity[patch][r2 * columns + c2] } }
      var widget = DenseHeatmapWidget(values: map, depth: state.depth)
      widget.glyphs = state.glyphs
      widget.colorMap = .diverging
      widget.range = -1...1
      widget.pooling = .mean
      let (x, y) = (inner.x + c * (mapWidth + 1), inner.y + r * (mapHeight + 1))
      guard y + mapHeight <= inner.y + inner.height, x + mapWidth <= inner.x + inner.width else { continue }
      widget.draw(into: &canvas, x: x, y: y, width: mapWidth, height: mapHeight, stretch: true)
      if patch == selected {
        for column in 0..<mapWidth {
          canvas[x + column, y + mapHeight] = Cell(
            state.glyphs.box.horizontal, foreground: .ansi(11), attributes: [.bold])
        }
      }
    }
  }

  /// "−0.98 ████ 0.98 PE": a diverging colour bar; returns the columns used.
  @discardableResult
  static func drawScale(
    _ range: ClosedRange<Float>, label: String, state: AppState, into canvas: inout Canvas, x: Int, y: Int
  ) -> Int {
    var column = x + canvas.put(String(format: "%.2f ", Double(range.lowerBound)), x: x, y: y)
    let width = 16
    for i in 0..<width {
      canvas[column + i, y] = Heatmap.shadedCell(
        Double(i) / Double(width - 1), colorMap: .diverging, depth: state.depth, glyphs: state.glyphs)
    }
    column += width
    column += canvas.put(String(format: " %.2f ", Double(range.upperBound)) + label, x: column, y: y)
    return column - x
  }

  static func clampedCursor(_ point: GridPoint, _ rows: Int, _ columns: Int) -> GridPoint {
    GridPoint(
      row: min(max(0, point.row), max(0, rows - 1)), column: min(max(0, point.column), max(0, columns - 1)))
  }

  static func status(_ state: AppState, table: PositionalTable, similarity: [[Float]]) -> String {
    var text = " \(state.trace.model) │ positions │ \(table.name) │ "
    func label(_ row: Int) -> String {
      table.rowLabels.map { $0.indices.contains(row) ? $0[row] : "\(row)" } ?? "\(row)"
    }
    if let rotary = RotaryReading.of(table) {
      // The table's name is on row 1: the numbers get the room.
      text = " \(state.trace.model) │ positions │ "
      switch state.selections.positionalFocus {
      case .encoding:
        let cursor = clampedCursor(state.selections.encodingCursor, table.values.count, table.values[0].count)
        return text
          + rotary.describe(
            position: label(cursor.row), column: cursor.column, value: table.values[cursor.row][cursor.column]
          )
      case .similarity:
        return text + rotary.describe(distance: distance(state, table: table))
      }
    }
    switch state.selections.positionalFocus {
    case .encoding:
      let cursor = clampedCursor(state.selections.encodingCursor, table.values.count, table.values[0].count)
      text +=
        "PE[pos \(label(cursor.row)), dim \(cursor.column)] = "
        + String(format: "%.4f", Double(table.values[cursor.row][cursor.column]))
    case .similarity:
      if let grid = table.grid, state.selections.patchMaps {
        let patch = min(max(0, state.selections.similarityCursor.row), grid.rows * grid.columns - 1)
        text += "patch (\(patch / grid.columns), \(patch % grid.columns)): its similarity to every patch"
      } else {
        let cursor = clampedCursor(state.selections.similarityCursor, similarity.count, similarity.count)
        let offset = table.grid?.leadingRows ?? 0
        text +=
          "cos(PE[\(label(cursor.row + offset))], PE[\(label(cursor.column + offset))]) = "
          + String(format: "%.4f", Double(similarity[cursor.row][cursor.column]))
      }
    }
    return text
  }
}
