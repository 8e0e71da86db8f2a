// Keys of screens 5–7 and the attention zoom; Update.swift dispatches here.
import Render

extension AppState {
  /// `z` / `Z`: the attention screen's next / previous scale (AttentionScale.swift), from the
  /// pooled overview of a long input down to one key per cell and on to wider labelled cells.
  mutating func zoomAttention(by steps: Int, size: (width: Int, height: Int)) {
    guard let entry = shownEntry else { return }
    let area = AttentionScreen.area(self, entry: entry, size: size)
    let scale = area.zoomed(AttentionScreen.scale(self, area: area), by: steps)
    selections.attentionScale = scale
    switch scale {
    case .cells(let width): notice = "zoom: \(width) column(s) per key"
    case .pooled(let divisor):
      let f = area.factors(divisor: divisor)
      notice = "zoom: \(f.queries) queries × \(f.keys) keys per cell"
    }
  }

  /// `p`: the overview pools by max or by mean.
  mutating func switchAttentionPooling() {
    selections.attentionPooling = selections.attentionPooling == .mean ? .max : .mean
    notice =
      selections.attentionPooling == .mean
      ? "overview: mean of each cell's weights (diffuse heads look diffuse)"
      : "overview: max of each cell's weights (a single strong link survives)"
  }

  /// Cursor moves on the attention screen: one token, or one pooled cell in the overview.
  mutating func moveAttentionCursor(rows: Int, columns: Int, size: (width: Int, height: Int)) {
    var step = (queries: 1, keys: 1)
    if let entry = shownEntry {
      let area = AttentionScreen.area(self, entry: entry, size: size)
      if case .pooled(let divisor) = AttentionScreen.scale(self, area: area) {
        let f = area.factors(divisor: divisor)
        step = (f.queries * area.rowsPerCell, f.keys)
      }
    }
    cursorRow += rows * step.queries
    cursorColumn += columns * step.keys
  }
}

extension AppState {
  /// The screens whose attention `w` can show without the sink.
  static let sinkScreens: Set<Screen> = [.attention, .decode, .compare, .modelView]

  /// `w`: hides key 0 (the attention sink) and renormalises the rows, or shows them raw again; the
  /// notice says which, and each screen keeps saying it while the sink is hidden.
  mutating func toggleSink() {
    guard Self.sinkScreens.contains(screen) else {
      notice = "w (hide the attention sink) works on screens 1, 2, 3 and 5"
      return
    }
    selections.hidesSink.toggle()
    let first = sinkKeyLabel ?? "?"
    notice =
      selections.hidesSink
      ? AttentionSink.hiddenNote(firstKey: first) : "sink shown: raw weights, key 1 '\(first)' included"
  }

  /// The first key's label on the current screen: the trace's on screens 1 and 5, the decoded
  /// row's on screens 2 and 3.
  var sinkKeyLabel: String? {
    switch screen {
    case .decode:
      return (currentDecodeStep?.selfAttention ?? currentDecodeStep?.crossAttention)?.keys.first
    case .compare:
      let rows = compareAttention
      return (rows.greedy ?? rows.beam)?.keys.first
    default: return layerLayout?.keys.first
    }
  }
}

/// Model view: arrows move over layers and heads; Enter opens the thumbnail on screen 1.
/// Returns false for keys it leaves to the attention screen's handling (kinds, `]` `[` `>` `<`).
func handleModelView(_ key: Key, _ state: inout AppState) -> Bool {
  if handleHeadMetricKey(key, &state) { return true }
  switch key {
  case .up, .character("k"): state.layer -= 1
  case .down, .character("j"): state.layer += 1
  case .left, .character("h"): state.head = max(0, state.head - 1)
  case .right, .character("l"): state.head += 1
  case .home: (state.layer, state.head) = (0, 0)
  case .enter: state.screen = .attention
  default: return false
  }
  return true
}

/// Positional encoding: arrows move the focused pane's cursor, Tab switches pane, `m` the table,
/// `+` `-` the positions and `]` `[` the dimensions (sinusoidal) or rows shown (a model's table),
/// `g` the patch maps of an image model's table, `f` a rotary table's fall-off plot.
func handlePositional(_ key: Key, _ state: inout AppState) {
  var s = state.selections
  let table = PositionalEncoding.selected(state)
  let rows = table.values.count
  let columns = table.values.first?.count ?? 0
  let gridMode = table.grid != nil && s.patchMaps
  switch key {
  case .tab, .backTab: s.positionalFocus = s.positionalFocus == .encoding ? .similarity : .encoding
  case .character("m"):
    s.positionalSource = (s.positionalSource + 1) % (state.positionalTables.count + 1)
  case .character("M"):
    let count = state.positionalTables.count + 1
    s.positionalSource = (s.positionalSource + count - 1) % count
  case .character("+"), .character("="): resize(&s, state: state, positions: 2)
  case .character("-"), .character("_"): resize(&s, state: state, positions: 0.5)
  case .character("]"): resize(&s, state: state, dimensions: 2)
  case .character("["): resize(&s, state: state, dimensions: 0.5)
  case .character("f"):
    guard RotaryReading.of(table) != nil else {
      state.notice = "the fall-off plot needs a rotary model's table (m picks the model's tables)"
      return
    }
    // The distance the cursor stands at carries over between matrix and plot.
    let distance = PositionalEncodingScreen.distance(state, table: table)
    s.rotaryPlot.toggle()
    s.similarityCursor =
      s.rotaryPlot ? GridPoint(row: 0, column: distance) : GridPoint(row: distance, column: 0)
    s.positionalFocus = .similarity
  case .character("g"):
    guard table.grid != nil else {
      state.notice = "patch maps need an image model's table (this one has no patch grid)"
      return
    }
    s.patchMaps.toggle()
  case .character("p"):
    // Signed tables pool by mean unless asked otherwise (the notice and the pane say which).
    s.positionalPooling = s.positionalPooling == .mean ? .maxMagnitude : .mean
    state.notice =
      s.positionalPooling == .mean
      ? "PE pooled by mean: stripes as the table has them"
      : "PE pooled by the largest magnitude (sign kept): strong entries survive, stripes may not"
  case .home:
    s.encodingCursor = GridPoint(row: 0, column: 0)
    s.similarityCursor = GridPoint(row: 0, column: 0)
  default:
    guard let (dr, dc) = direction(key) else { return }
    switch s.positionalFocus {
    case .encoding:
      s.encodingCursor = PositionalEncodingScreen.clampedCursor(
        GridPoint(row: s.encodingCursor.row + dr, column: s.encodingCursor.column + dc), rows, columns)
    case .similarity where s.rotaryPlot && RotaryReading.of(table) != nil:
      // Along the curve: every arrow steps one token of distance, Page keys ten.
      let step = dc != 0 ? dc : dr
      s.similarityCursor = GridPoint(row: 0, column: min(max(0, s.similarityCursor.column + step), rows - 1))
    case .similarity where gridMode:
      let grid = table.grid!
      let patch = max(0, s.similarityCursor.row)
      let (r, c) = (
        min(max(0, patch / grid.columns + dr), grid.rows - 1),
        min(max(0, patch % grid.columns + dc), grid.columns - 1)
      )
      s.similarityCursor = GridPoint(row: r * grid.columns + c, column: 0)
    case .similarity:
      let count = PositionalEncodingScreen.similarityRows(table).count
      s.similarityCursor = PositionalEncodingScreen.clampedCursor(
        GridPoint(row: s.similarityCursor.row + dr, column: s.similarityCursor.column + dc), count, count)
    }
  }
  state.selections = s
}

private func direction(_ key: Key) -> (Int, Int)? {
  switch key {
  case .up, .character("k"): (-1, 0)
  case .down, .character("j"): (1, 0)
  case .left, .character("h"): (0, -1)
  case .right, .character("l"): (0, 1)
  case .pageUp: (-10, 0)
  case .pageDown: (10, 0)
  default: nil
  }
}

/// Doubles or halves the sinusoid's size (source 0) or the rows of a model's table shown.
private func resize(
  _ s: inout ScreenSelections, state: AppState, positions: Double = 1, dimensions: Double = 1
) {
  func scaled(_ value: Int, _ factor: Double, _ limits: ClosedRange<Int>, even: Bool) -> Int {
    var result = Int((Double(value) * factor).rounded())
    if even { result -= result % 2 }
    return min(limits.upperBound, max(limits.lowerBound, result))
  }
  if s.positionalSource == 0 {
    s.sinusoidPositions = scaled(s.sinusoidPositions, positions, ScreenSelections.positionLimits, even: false)
    s.sinusoidDimensions = scaled(
      s.sinusoidDimensions, dimensions, ScreenSelections.dimensionLimits, even: true)
  } else if positions != 1, state.positionalTables.indices.contains(s.positionalSource - 1) {
    let table = state.positionalTables[s.positionalSource - 1]
    let shown = PositionalEncoding.shownRows(table, selections: s)
    s.modelPositions = min(
      min(table.values.count, ScreenSelections.maxModelPositions), max(2, Int(Double(shown) * positions)))
  }
}
