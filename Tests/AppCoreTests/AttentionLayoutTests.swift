// Screen 1 filling the terminal (cell width and height, the strip of heads), the pooled overview of
// long inputs (max and mean named, zoom down to one key per cell, exact positions), `/`, and the
// pooling itself checked against Resampling, the thumbnails' reference.
import Foundation
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

/// One encoder self-attention layer over `count` tokens "t0"… with `heads` heads: a causal-free
/// band (each query looks mostly at itself and its neighbour), deterministic.
func longTrace(count: Int, heads: Int = 2, masked: Bool = false) -> AttentionTrace {
  let tokens = (0..<count).map { "t\($0)" }
  var weights = [Float](repeating: 0, count: heads * count * count)
  var scores = [Float](repeating: 0, count: heads * count * count)
  for h in 0..<heads {
    for q in 0..<count {
      let visible = masked ? q + 1 : count
      for k in 0..<count {
        let index = (h * count + q) * count + k
        guard k < visible else {
          scores[index] = -.infinity
          continue
        }
        let near = k == (q + h) % visible
        weights[index] = near ? 0.6 : 0.4 / Float(max(1, visible - 1))
        if visible == 1 { weights[index] = 1 }
        scores[index] = near ? 2 : 0
      }
    }
  }
  let kind: AttentionKind = masked ? .masked : .self
  let stack: AttentionStack = masked ? .decoder : .encoder
  let entry = AttentionEntry(
    stack: stack, kind: kind, layer: 0, heads: heads, queries: tokens, keys: tokens, weights: weights,
    scores: scores)
  return AttentionTrace(model: "long", tokens: TokenLabels(encoder: tokens), attention: [entry])
}

@Suite struct AttentionLayoutTests {
  @Test func aSmallInputFillsTheWindow() {
    let state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    let size = (width: 120, height: 40)
    let area = AttentionScreen.area(state, entry: state.entry!, size: size)
    guard case .cells(let width) = area.fit else {
      Issue.record("4 tokens fit")
      return
    }
    let strip = HeadStrip.layout(state, entry: state.entry!, area: area, cellWidth: width)
    let widget = AttentionScreen.heatmap(
      state, entry: state.entry!, area: area, cellWidth: width, reserved: strip?.height ?? 0)!
    // The matrix takes (nearly) the whole width and most of the height, not a 6 × 6 corner.
    #expect(widget.size.width >= size.width - 2 - 3)
    #expect(widget.cellHeight > 1)
    #expect(widget.size.height + (strip?.height ?? 0) >= area.height - 6)
  }

  @Test func theHeadsOfTheLayerAreOfferedAsAStripWithTheSelectedOneMarked() {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    let size = (width: 120, height: 40)
    _ = update(&state, .key(.character("]")), size: size)
    let canvas = AppView.view(state, size: size)
    guard let row = canvas.lines.firstIndex(where: { $0.contains("h1") && $0.contains("h2") }) else {
      Issue.record("no strip: \(canvas.lines.joined(separator: "\n"))")
      return
    }
    func label(_ number: Character) -> Cell? {
      (0..<(canvas.width - 1)).first {
        canvas[$0, row].character == "h" && canvas[$0 + 1, row].character == number
      }
      .map { canvas[$0, row] }
    }
    #expect(label("1")?.attributes.contains(.reverse) == false)
    #expect(label("2")?.attributes.contains(.reverse) == true, "head 2 is selected")
    _ = update(&state, .key(.character("t")), size: size)
    #expect(!AppView.view(state, size: size).lines.contains { $0.contains("h1") && $0.contains("h2") })
  }

  @Test func longLabelsAreShortenedTheSameWayOnBothAxes() {
    var trace = sampleTrace()
    trace.attention = trace.attention.map { entry in
      var entry = entry
      entry.queries = entry.queries.map { $0 + "-internationalisation" }
      entry.keys = entry.keys.map { $0 + "-internationalisation" }
      return entry
    }
    let state = AppState(trace: trace, modelDescription: "", depth: .palette256)
    let text = AppView.view(state, size: (80, 24)).lines.joined(separator: "\n")
    let limit = AttentionScreen.rowLabelLimit(80)
    #expect(text.contains(Heatmap.fitted("love-internationalisation", limit)))
    #expect(!text.contains("love-internationalisation"))
  }

  @Test func aLongInputOpensOnTheOverviewNamingItsPooling() {
    var state = AppState(trace: longTrace(count: 300), modelDescription: "", depth: .palette256)
    let size = (width: 80, height: 24)
    var text = AppView.view(state, size: size).lines.joined(separator: "\n")
    #expect(text.contains("max-pooled"), "\(text)")
    #expect(text.contains("p mean"))
    #expect(text.contains("row 1/300") && text.contains("key 1/300"))
    _ = update(&state, .key(.character("p")), size: size)
    text = AppView.view(state, size: size).lines.joined(separator: "\n")
    #expect(text.contains("mean-pooled, colours 0–"))
  }

  @Test func zoomGoesFromTheWholeMatrixDownToOneKeyPerCell() {
    var state = AppState(trace: longTrace(count: 4096, heads: 1), modelDescription: "", depth: .palette256)
    let size = (width: 80, height: 24)
    let area = AttentionScreen.area(state, entry: state.entry!, size: size)
    let overview = area.factors(divisor: 1)
    // Everything in the box: 4,096 keys over the columns, 4,096 queries over twice the rows.
    #expect(overview.keys * area.overviewColumns >= 4096 && overview.queries * area.overviewRows * 2 >= 4096)
    var levels = 0
    while state.selections.attentionScale != .cells(width: 1), levels < 20 {
      _ = update(&state, .key(.character("z")), size: size)
      levels += 1
    }
    #expect(state.selections.attentionScale == .cells(width: 1))
    #expect(levels > 3)
    // One key per cell: the labels of the tokens around the cursor, the exact position on the status line.
    _ = update(&state, .key(.character("/")), size: size)
    for character in "t2049" { _ = update(&state, .key(.character(character)), size: size) }
    _ = update(&state, .key(.enter), size: size)
    #expect(state.cursorRow == 2049 && state.cursorColumn == 2049)
    let text = AppView.view(state, size: size).lines.joined(separator: "\n")
    #expect(text.contains("row 2050/4096 't2049' → key 2050/4096"), "\(text)")
    for _ in 0..<levels { _ = update(&state, .key(.character("Z")), size: size) }
    #expect(state.selections.attentionScale == .pooled(divisor: 1))
  }

  @Test func theOverviewMovesTheCursorOneCellAtATime() {
    var state = AppState(trace: longTrace(count: 1000, heads: 1), modelDescription: "", depth: .palette256)
    let size = (width: 80, height: 24)
    let area = AttentionScreen.area(state, entry: state.entry!, size: size)
    let f = area.factors(divisor: 1)
    _ = update(&state, .key(.right), size: size)
    _ = update(&state, .key(.down), size: size)
    #expect(state.cursorColumn == f.keys && state.cursorRow == f.queries * area.rowsPerCell)
  }

  @Test func findingATokenWrapsAndSaysWhenNothingMatches() {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    let size = (width: 80, height: 24)
    func find(_ text: String) {
      _ = update(&state, .key(.character("/")), size: size)
      for character in text { _ = update(&state, .key(.character(character)), size: size) }
      _ = update(&state, .key(.enter), size: size)
    }
    find("OU")  // case-insensitive: "you"
    #expect(state.cursorRow == 2 && state.cursorColumn == 2)
    #expect(state.notice?.contains("query 3/4 'you'") == true)
    find("zzz")
    #expect(state.notice == "no token contains 'zzz'" && state.cursorRow == 2)
    #expect(TokenSearch.next(["▁the", "Ġcat", "##s"], containing: "s", after: 0) == 2)
    #expect(TokenSearch.next(["a", "b", "a"], containing: "a", after: 2) == 0)
  }

  /// The overview's pooling is Resampling's (the thumbnails' reference) over the same window,
  /// masked entries left out, for max and mean and with the sink hidden.
  @Test(arguments: [Pooling.max, .mean]) func poolingMatchesResampling(_ pooling: Pooling) {
    let trace = longTrace(count: 37, heads: 2, masked: true)
    let entry = trace.attention[0]
    let window = PoolingWindow(firstRow: 0, firstKey: 0, rowsPerCell: 4, keysPerCell: 5, rows: 10, columns: 8)
    for head in 0..<2 {
      let pooled = AttentionPooling.pool(
        entry, head: head, window: window, pooling: pooling, hidesSink: false)
      let reference = Resampling.resample(
        values: entry.weightMatrix(head: head), masked: AttentionSink.maskMatrix(entry, head: head), rows: 10,
        columns: 8, pooling: pooling)
      // 37 = 10 × 4 − 3 rows and 8 × 5 − 3 keys: Resampling's spans differ from whole cells there,
      // so compare the cells both cover the same way (every cell but the last row and column).
      for r in 0..<9 {
        for c in 0..<7 {
          let expected: Float? = reference.masked[r][c] ? nil : reference.values[r][c]
          let spanRows = Resampling.span(r, of: 10, source: 37)
          let spanKeys = Resampling.span(c, of: 8, source: 37)
          guard spanRows == (r * 4)..<(r * 4 + 4) || spanKeys == (c * 5)..<(c * 5 + 5) else { continue }
          guard spanRows == (r * 4)..<(r * 4 + 4), spanKeys == (c * 5)..<(c * 5 + 5) else { continue }
          #expect((pooled[r][c] == nil) == (expected == nil))
          if let a = pooled[r][c], let b = expected { #expect(abs(a - b) < 1e-6, "(\(r), \(c))") }
        }
      }
    }
    // Without the sink: each row renormalised over keys 1…, as AttentionSink.hidden.
    let hidden = AttentionSink.hidden(entry, head: 0)
    let oneByOne = PoolingWindow(
      firstRow: 0, firstKey: 1, rowsPerCell: 1, keysPerCell: 1, rows: 37, columns: 36)
    let grid = AttentionPooling.pool(entry, head: 0, window: oneByOne, pooling: pooling, hidesSink: true)
    for q in 0..<37 {
      for k in 0..<36 {
        #expect((grid[q][k] == nil) == hidden.masked[q][k])
        if let value = grid[q][k] { #expect(abs(value - hidden.values[q][k]) < 1e-6) }
      }
    }
  }

  @Test func theOverviewIsKeptBetweenFramesAndForgottenWithTheTrace() {
    var state = AppState(trace: longTrace(count: 500, heads: 1), modelDescription: "", depth: .palette256)
    let size = (width: 80, height: 24)
    let first = AppView.view(state, size: size)
    #expect(AppView.view(state, size: size) == first)
    let generation = state.traceGeneration
    state.replaceTrace(longTrace(count: 500, heads: 1, masked: true))
    #expect(state.traceGeneration != generation)
    #expect(AppView.view(state, size: size) != first, "the masked trace is drawn, not the memo's")
  }
}
