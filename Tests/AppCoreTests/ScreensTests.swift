// Screens 5–7 (model view, Q·K detail, positional encoding), the help overlay, zoom and export:
// update logic, layout at large and small sizes, and golden snapshots at fixed sizes and depths.
import Foundation
import TestSupport
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `layers` × `heads` of `tokens`×`tokens` encoder self-attention with a different diagonal per head.
func gridTrace(layers: Int, heads: Int, tokens: Int) -> AttentionTrace {
  let labels = (0..<tokens).map { "t\($0)" }
  let entries = (0..<layers).map { layer in
    var weights: [Float] = []
    for h in 0..<heads {
      for q in 0..<tokens {
        for k in 0..<tokens { weights.append(k == (q + h + layer) % tokens ? 0.9 : 0.1 / Float(tokens - 1)) }
      }
    }
    return AttentionEntry(
      stack: .encoder, kind: .self, layer: layer, heads: heads, queries: labels, keys: labels,
      weights: weights,
      scores: weights)
  }
  return AttentionTrace(model: "grid", tokens: TokenLabels(encoder: labels), attention: entries)
}

/// One causal head pair over three tokens whose weights are softmax(q·k/√2) of the vectors given,
/// and whose outputs are Σ p·v: a small worked example.
func vectorTrace() -> AttentionTrace {
  let (heads, n, dk) = (2, 3, 2)
  let q: [Float] = [1, 0, 0, 1, 1, 1, 0.5, -1, 2, 0, -1, 1]
  let k: [Float] = [1, 1, 0, 2, -1, 0, 1, 0, 0, 1, 1, 1]
  let v: [Float] = [1, 0, 0, 1, 2, 2, -1, 0, 0, -1, 3, 1]
  var weights: [Float] = []
  var scores: [Float] = []
  var outputs: [Float] = []
  for h in 0..<heads {
    for i in 0..<n {
      var row: [Float] = (0..<n).map { j in
        (0..<dk).reduce(Float(0)) { $0 + q[(h * n + i) * dk + $1] * k[(h * n + j) * dk + $1] }
          / Float(dk).squareRoot()
      }
      for j in 0..<n where j > i { row[j] = -.infinity }
      let exps = row.map { exp($0 - row.max()!) }
      let p = exps.map { $0 / exps.reduce(0, +) }
      weights += p
      scores += row
      outputs += (0..<dk).map { d in (0..<n).reduce(Float(0)) { $0 + p[$1] * v[(h * n + $1) * dk + d] } }
    }
  }
  let labels = ["<s>", "ti", "amo"]
  let entry = AttentionEntry(
    stack: .decoder, kind: .masked, layer: 0, heads: heads, queries: labels, keys: labels, weights: weights,
    scores: scores, vectors: HeadVectors(headDim: dk, queries: q, keys: k, values: v, outputs: outputs))
  return AttentionTrace(model: "worked", tokens: TokenLabels(decoder: labels), attention: [entry])
}

/// A ViT-shaped table: [CLS] then a 4×4 grid of 2-D sinusoidal positions.
func patchTable() -> PositionalTable {
  let side = 4
  let rowCodes = PositionalEncoding.sinusoidal(positions: side, dimensions: 8)
  var values = [[Float](repeating: 0, count: 16)]
  for r in 0..<side { for c in 0..<side { values.append(rowCodes[r] + rowCodes[c]) } }
  return PositionalTable(
    name: "encoder.embed_positions.weight (2-D)", values: values,
    rowLabels: ["[CLS]"] + (0..<16).map { "p(\($0 / side),\($0 % side))" },
    grid: PatchGrid(rows: side, columns: side))
}

@Suite struct ModelViewTests {
  @Test func twelveByTwelveFitsAt200x60() throws {
    var state = AppState(
      trace: gridTrace(layers: 12, heads: 12, tokens: 32), modelDescription: "", depth: .trueColor)
    state.screen = .modelView
    let layout = try #require(ModelViewScreen.layout(state, size: (200, 60)))
    #expect(layout.layers == 0..<12 && layout.heads == 0..<12)
    #expect(layout.thumbWidth >= 8 && layout.thumbHeight >= 3)
    let canvas = AppView.view(state, size: (200, 60))
    #expect(canvas.lines[2].contains("H12") && canvas.lines.contains { $0.hasPrefix("L12") })
  }

  @Test func smallTerminalsScrollToTheCursor() throws {
    var state = AppState(
      trace: gridTrace(layers: 12, heads: 12, tokens: 32), modelDescription: "", depth: .ansi16)
    state.screen = .modelView
    for _ in 0..<11 {
      _ = update(&state, .key(.down), size: (60, 20))
      _ = update(&state, .key(.right), size: (60, 20))
    }
    #expect(state.layer == 11 && state.head == 11)
    let layout = try #require(ModelViewScreen.layout(state, size: (60, 20)))
    #expect(layout.layers.count < 12 && layout.layers.contains(11) && layout.heads.contains(11))
    let canvas = AppView.view(state, size: (60, 20))
    #expect(canvas.lines.last!.contains("layer 12/12 head 12/12"))
  }

  @Test func clickPicksAndEnterOpensTheAttentionScreen() throws {
    var state = AppState(
      trace: gridTrace(layers: 3, heads: 4, tokens: 8), modelDescription: "", depth: .palette256)
    _ = update(&state, .key(.character("5")), size: (100, 30))
    #expect(state.screen == .modelView)
    let layout = try #require(ModelViewScreen.layout(state, size: (100, 30)))
    let (x, y) = layout.origin(layer: 2, head: 3)
    _ = update(&state, .mouse(MouseEvent(x: x + 1, y: y, button: .left)), size: (100, 30))
    #expect(state.layer == 2 && state.head == 3)
    _ = update(&state, .key(.enter), size: (100, 30))
    #expect(state.screen == .attention && state.layer == 2 && state.head == 3)
  }

  @Test func snapshots() {
    var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
    state.screen = .modelView
    _ = update(&state, .key(.character("x")), size: (80, 24))
    assertSnapshot(AppView.view(state, size: (80, 24)), depth: .palette256, named: "model-view-80x24")
    state.depth = .monochrome
    state.glyphs = .ascii
    assertSnapshot(
      AppView.view(state, size: (80, 24)), depth: .monochrome, named: "model-view-80x24-ascii")
  }
}

@Suite struct QKDetailTests {
  @Test func theWorkedNumbersAreTheFormulas() {
    let entry = vectorTrace().attention[0]
    let terms = QKDetailScreen.terms(entry, head: 1, query: 2)
    for (j, term) in terms.enumerated() {
      #expect(abs(term.dot! / Float(2).squareRoot() - term.scaled) < 1e-6)
      #expect(abs(term.scaled - entry.score(head: 1, query: 2, key: j)) < 1e-5)
    }
    let masked = QKDetailScreen.terms(entry, head: 0, query: 0)
    #expect(masked.map(\.masked) == [false, true, true])
    #expect(masked[0].probability == 1)
  }

  @Test func cursorPicksQueryAndKeyAndTheStatusShowsThem() {
    var state = AppState(trace: vectorTrace(), modelDescription: "", depth: .palette256)
    _ = update(&state, .key(.character("6")), size: (100, 30))
    _ = update(&state, .key(.down), size: (100, 30))
    _ = update(&state, .key(.right), size: (100, 30))
    let canvas = AppView.view(state, size: (100, 30))
    let text = canvas.lines.joined(separator: "\n")
    #expect(text.contains("query 'ti' (2/3) · d_k = 2"))
    #expect(text.contains("output = Σ p_j·v_j = [ "))
    #expect(canvas.lines.last!.contains("'ti' → 'ti' q·k"))
    _ = update(&state, .key(.right), size: (100, 30))
    #expect(AppView.view(state, size: (100, 30)).lines.last!.contains("masked"))
  }

  @Test func withoutVectorsItSaysSo() {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    state.screen = .qkDetail
    #expect(AppView.view(state, size: (80, 24)).lines.joined().contains("were not recorded"))
  }

  @Test func snapshots() {
    var state = AppState(trace: vectorTrace(), modelDescription: "worked example", depth: .palette256)
    state.screen = .qkDetail
    state.cursorRow = 2
    assertSnapshot(AppView.view(state, size: (100, 30)), depth: .palette256, named: "qk-detail-100x30")
  }
}

@Suite struct PositionalScreenTests {
  @Test func sinusoidalValuesAndSimilarity() {
    let table = PositionalEncoding.sinusoidal(positions: 4, dimensions: 6)
    #expect(table[0] == [0, 1, 0, 1, 0, 1])
    #expect(abs(table[1][0] - sin(1)) < 1e-6 && abs(table[1][1] - cos(1)) < 1e-6)
    #expect(abs(table[2][2] - Float(sin(2 / pow(10_000, 2.0 / 6)))) < 1e-6)
    let similarity = PositionalEncoding.cosineSimilarity(table)
    #expect(similarity.indices.allSatisfy { abs(similarity[$0][$0] - 1) < 1e-6 })
    #expect(similarity[1][3] == similarity[3][1])
  }

  @Test func keysResizeSwitchTablesAndFocus() {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    state.positionalTables = [patchTable()]
    _ = update(&state, .key(.character("7")), size: (100, 30))
    _ = update(&state, .key(.character("+")), size: (100, 30))
    _ = update(&state, .key(.character("[")), size: (100, 30))
    #expect(state.selections.sinusoidPositions == 128 && state.selections.sinusoidDimensions == 64)
    _ = update(&state, .key(.down), size: (100, 30))
    #expect(state.selections.encodingCursor.row == 1)
    _ = update(&state, .key(.tab), size: (100, 30))
    #expect(state.selections.positionalFocus == .similarity)
    _ = update(&state, .key(.character("g")), size: (100, 30))
    #expect(state.notice?.contains("patch grid") == true)
    _ = update(&state, .key(.character("m")), size: (100, 30))
    #expect(PositionalEncoding.selected(state).grid != nil)
    _ = update(&state, .key(.down), size: (100, 30))
    _ = update(&state, .key(.right), size: (100, 30))
    #expect(state.selections.similarityCursor.row == 5)
    #expect(AppView.view(state, size: (100, 30)).lines.last!.contains("patch (1, 1)"))
    _ = update(&state, .key(.character("g")), size: (100, 30))
    #expect(AppView.view(state, size: (100, 30)).lines.last!.contains("cos(PE[p(1,1)]"))
  }

  @Test func snapshots() {
    var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
    state.screen = .positional
    state.selections.sinusoidPositions = 32
    state.selections.sinusoidDimensions = 64
    assertSnapshot(AppView.view(state, size: (100, 30)), depth: .palette256, named: "positional-100x30")
    state.positionalTables = [patchTable()]
    state.selections.positionalSource = 1
    state.selections.positionalFocus = .similarity
    assertSnapshot(
      AppView.view(state, size: (100, 30)), depth: .palette256, named: "positional-patches-100x30")
    state.depth = .ansi8
    state.glyphs = .ascii
    assertSnapshot(
      AppView.view(state, size: (100, 30)), depth: .ansi8, named: "positional-patches-100x30-ascii")
  }

  @Test func headlessFormats() throws {
    let table = patchTable()
    let json = try JSONSerialization.jsonObject(with: PositionalExport.json([table])) as? [String: Any]
    let tables = try #require(json?["tables"] as? [[String: Any]])
    #expect(tables.first?["positions"] as? Int == 17)
    #expect((tables.first?["similarity"] as? [[Double]])?.count == 16)
    let csv = PositionalExport.csv([table]).split(separator: "\n")
    #expect(csv.first == "table,matrix,row,column,value" && csv.count == 1 + 17 * 16 + 16 * 16)
    #expect(try XMLCheck.parses(SVGExporter.render(PositionalExport.canvas(table, depth: .trueColor))))
  }
}

enum XMLCheck {
  /// XMLParser accepts the document.
  static func parses(_ text: String) throws -> Bool {
    let parser = XMLParser(data: Data(text.utf8))
    return parser.parse()
  }
}

@Suite struct ScreenOptionTests {
  @Test func exportPromptBecomesAnEffect() {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    _ = update(&state, .key(.character("s")), size: (80, 24))
    #expect(state.prompt?.purpose == .exportScreen)
    for character in "out.svg" { _ = update(&state, .key(.character(character)), size: (80, 24)) }
    #expect(update(&state, .key(.enter), size: (80, 24)) == [.exportScreen(name: "out.svg")])
    #expect(ScreenExport.paths(for: "out.svg") == ("out.svg", "out.ans"))
    #expect(ScreenExport.paths(for: "dir/plot") == ("dir/plot.svg", "dir/plot.ans"))
  }

  @Test func exportedScreenIsXMLAndOmitsThePrompt() throws {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    state.screen = .modelView
    state.prompt = Prompt(purpose: .exportScreen, text: "x")
    let files = ScreenExport.files(state, size: (80, 24), name: "x")
    #expect(files.map(\.path) == ["x.svg", "x.ans"])
    #expect(try XMLCheck.parses(files[0].contents))
    #expect(files[1].contents.contains("model view") && !files[1].contents.contains("export screen to"))
  }

  @Test func zoomStepsFromTheFittedWidthThroughTheCellWidths() {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    let size = (width: 80, height: 24)
    let area = AttentionScreen.area(state, entry: state.entry!, size: size)
    // Four keys in 78 columns less the labels: the widest cells that show every key, beyond the
    // zoom levels' 8.
    guard case .cells(let fitted) = area.fit else {
      Issue.record("a 4-token input fits")
      return
    }
    #expect(fitted == (78 - area.rowLabelWidth) / 4 && fitted > 8)
    _ = update(&state, .key(.character("Z")), size: size)
    #expect(state.selections.attentionScale == .cells(width: 8))
    for _ in 0..<6 { _ = update(&state, .key(.character("Z")), size: size) }
    // Nothing to pool in a 4 × 4 matrix: one column per key is as far as it goes.
    #expect(state.selections.attentionScale == .cells(width: 1))
    _ = update(&state, .key(.character("z")), size: size)
    #expect(state.selections.attentionScale == .cells(width: 2))
    #expect(
      AttentionScreen.heatmap(state, entry: state.entry!, area: area, cellWidth: 2)?.cellWidth == 2)
  }

  @Test func helpListsEveryScreensKeys() {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    state.screen = .positional
    _ = update(&state, .key(.character("?")), size: (200, 60))
    let text = AppView.view(state, size: (200, 60)).lines.joined(separator: "\n")
    for heading in ["7 positions", "5 model view", "6 q·k detail", "every screen", "1–4 attention"] {
      #expect(text.contains(heading), "help lacks \(heading)")
    }
    #expect(text.contains("any key closes this help"))
    let small = AppView.view(state, size: (60, 20)).lines.joined(separator: "\n")
    #expect(small.contains("7 positions") && small.contains("space: next page"))
  }

  @Test func asciiGlyphsReachTheScreens() {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    state.glyphs = .ascii
    for screen in [Screen.attention, .modelView, .qkDetail, .positional] {
      state.screen = screen
      let text = AppView.view(state, size: (100, 30)).lines.joined()
      // Box drawing and blocks are gone; the formula's own symbols (Σ √ ÷ ᵀ …) and the title bar's
      // separators are text, which the terminal shows as "?" without UTF-8.
      let structural = text.unicodeScalars.filter { (0x2500...0x259F).contains($0.value) && $0 != "│" }
      #expect(structural.isEmpty, "\(screen): \(String(String.UnicodeScalarView(structural)))")
      #expect(!text.contains("▀") && !text.contains("┌"), "\(screen)")
    }
  }
}
