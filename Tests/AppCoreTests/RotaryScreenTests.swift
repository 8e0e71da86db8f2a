// Screen 7 on a rotary table (RoPE): the frequencies read from the table, the fall-off numbers
// against the similarity the screen draws, the panes' labels, the `f` plot and its cursor.
import Foundation
import TestSupport
import Testing

@testable import AppCore
@testable import Render

/// A rotary table as the host builds one: row p holds sin(p·fᵢ), cos(p·fᵢ) for fᵢ = θ^(−2i/d).
/// `sendsFrequencies` false leaves them out, so they are read back from the name and row 1.
func rotaryTable(positions: Int = 64, dimensions: Int = 16, sendsFrequencies: Bool = true) -> PositionalTable
{
  let frequencies = stride(from: 0, to: dimensions, by: 2).map {
    Float(1 / pow(10_000, Double($0) / Double(dimensions)))
  }
  let rows = (0..<positions).map { p in
    frequencies.flatMap { [Float(sin(Double(p) * Double($0))), Float(cos(Double(p) * Double($0)))] }
  }
  return PositionalTable(
    name: "toy rotary θ=10000 \(positions)×\(dimensions)", values: rows,
    rotaryFrequencies: sendsFrequencies ? frequencies : nil)
}

/// Screen 7 on `rotaryTable` (the model's table picked with `m`).
func rotaryState(_ table: PositionalTable = rotaryTable()) -> AppState {
  var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
  state.positionalTables = [table]
  for key: Key in [.character("7"), .character("m")] { _ = update(&state, .key(key), size: (80, 24)) }
  return state
}

@Suite struct RotaryScreenTests {
  let size = (width: 80, height: 24)

  @Test func frequenciesAreReadBackFromTheNameAndRowOne() throws {
    let sent = try #require(RotaryReading.of(rotaryTable()))
    let read = try #require(RotaryReading.of(rotaryTable(sendsFrequencies: false)))
    expectClose(read.frequencies, sent.frequencies, tolerance: 1e-6, "atan2 of row 1")
    #expect(abs(sent.wavelength(pair: 0) - 2 * Double.pi) < 1e-6)
    var unnamed = rotaryTable(sendsFrequencies: false)
    unnamed.name = "decoder.embed_positions.weight (learned)"
    #expect(RotaryReading.of(unnamed) == nil, "a table is rotary only when it says so")
  }

  @Test func theFallOffIsTheSimilarityTheScreenDraws() throws {
    let table = rotaryTable()
    let rotary = try #require(RotaryReading.of(table))
    let similarity = PositionalEncoding.cosineSimilarity(table.values)
    #expect(abs(rotary.falloff(distance: 0) - 1) < 1e-9)
    for (p, q) in [(0, 5), (10, 3), (40, 63), (7, 7)] {
      #expect(abs(Float(rotary.falloff(distance: abs(p - q))) - similarity[p][q]) < 1e-4, "\(p), \(q)")
    }
    // Σᵢ cos(d·fᵢ) / 8 at d = 1, by hand.
    let byHand = rotary.frequencies.reduce(0) { $0 + cos(Double($1)) } / 8
    #expect(abs(rotary.falloff(distance: 1) - byHand) < 1e-9)
  }

  @Test func thePanesSayWhatTheyShow() {
    let state = rotaryState()
    let lines = AppView.view(state, size: size).lines
    let text = lines.joined(separator: "\n")
    #expect(text.contains("sin, cos(p·fᵢ) · 64 pos × 8 pairs"))
    #expect(text.contains("q·k(p−q) = Σᵢ cos((p−q)fᵢ)/8"))
    #expect(lines[20].contains("2π/fᵢ 6.28 … 2.0e+04 tokens"), "\(lines[20])")
    // A wider terminal says it in words.
    let wide = AppView.view(state, size: (160, 40)).lines.joined(separator: "\n")
    #expect(wide.contains("sin, cos(p·fᵢ) of each pair's angle: 64 positions × 8 pairs"))
    #expect(wide.contains("Σᵢ cos((p−q)·fᵢ) / 8: q·k of a fixed pair of vectors at distance p − q"))
    #expect(wide.contains("pairs 1…8 left to right: wavelength 2π/fᵢ 6.28 … 2.0e+04 tokens"))
    #expect(lines[21].contains("q·k at distance 0: 1.000 of its value at 0"))
    #expect(lines[23].contains("pair 1/8: fᵢ 1 rad/token, 2π/fᵢ 6.28 │ sin(0·fᵢ) = 0.0000"))
    var moved = state
    for key: Key in [.right, .right, .right, .down] { _ = update(&moved, .key(key), size: size) }
    // Column 3 is pair 2's cos; f₂ = 10000^(−2/16).
    #expect(
      AppView.view(moved, size: size).lines[23].contains(
        "pair 2/8: fᵢ 0.316 rad/token, 2π/fᵢ 19.9 │ cos(1·fᵢ) = 0.9504"))
  }

  @Test func theCursorsDistanceIsReadOutAndFTogglesThePlot() {
    var state = rotaryState()
    for key: Key in [.tab, .right, .right, .right] { _ = update(&state, .key(key), size: size) }
    let rotary = RotaryReading.of(rotaryTable())!
    let value = String(format: "%.3f", rotary.falloff(distance: 3))
    var lines = AppView.view(state, size: size).lines
    #expect(lines[21].contains("q·k at distance 3: \(value) of its value at 0"))
    #expect(lines[23].contains("distance 3: q·k is " + String(format: "%.4f", rotary.falloff(distance: 3))))
    _ = update(&state, .key(.character("f")), size: size)
    #expect(state.selections.rotaryPlot && state.selections.similarityCursor == GridPoint(row: 0, column: 3))
    _ = update(&state, .key(.right), size: size)
    lines = AppView.view(state, size: size).lines
    #expect(lines.joined().contains("q·k(d) = Σᵢ cos(d·fᵢ)/8, d = p−q"))
    #expect(lines[21].contains("q·k at distance 4:"))
    _ = update(&state, .key(.character("f")), size: size)
    #expect(!state.selections.rotaryPlot && state.selections.similarityCursor == GridPoint(row: 4, column: 0))
  }

  @Test func fNeedsARotaryTableAndOtherTablesKeepTheirLabels() {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    _ = update(&state, .key(.character("7")), size: size)
    _ = update(&state, .key(.character("f")), size: size)
    #expect(!state.selections.rotaryPlot && state.notice?.contains("rotary") == true)
    let text = AppView.view(state, size: size).lines.joined()
    #expect(text.contains("PE: 64 positions") && text.contains("cos(PE_i, PE_j)") && !text.contains("pairs"))
  }

  @Test func snapshots() {
    var state = rotaryState()
    for key: Key in [.tab, .down, .down, .down, .down, .down] { _ = update(&state, .key(key), size: size) }
    assertSnapshot(AppView.view(state, size: size), depth: .palette256, named: "rotary-80x24")
    _ = update(&state, .key(.character("f")), size: size)
    assertSnapshot(AppView.view(state, size: size), depth: .palette256, named: "rotary-falloff-80x24")
    state.glyphs = .ascii
    state.depth = .monochrome
    assertSnapshot(AppView.view(state, size: size), depth: .monochrome, named: "rotary-falloff-80x24-ascii")
  }
}

@Suite struct RotaryExportTests {
  @Test func headlessFormsLabelTheRotaryTable() throws {
    let table = rotaryTable()
    let text = PositionalExport.canvas(table, depth: .monochrome).lines.joined(separator: "\n")
    #expect(text.contains("sin, cos(p·fᵢ) of each pair's angle (rows: positions, columns: pairs, wavelength"))
    #expect(text.contains("Σᵢ cos((p−q)·fᵢ) / 8: q·k of a fixed pair of vectors at distance p − q"))
    let json = try #require(
      try JSONSerialization.jsonObject(with: PositionalExport.json([table])) as? [String: Any])
    let first = try #require((json["tables"] as? [[String: Any]])?.first)
    #expect((first["rotary_frequencies"] as? [Double])?.count == 8)
    let plain = try #require(
      try JSONSerialization.jsonObject(with: PositionalExport.json([patchTable()])) as? [String: Any])
    #expect((plain["tables"] as? [[String: Any]])?.first?["rotary_frequencies"] == nil)
  }
}
