import TestSupport
// Screen 9, the lines view: a line from the selected query (or every token) to each key, as bright
// as its weight, one head or all overlaid in their colours; golden frames at 80×24 and 200×60.
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

/// Screen 9 on sampleTrace's encoder self-attention, query "love".
func linesScreenState() -> AppState {
  var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
  _ = update(&state, .key(.character("9")), size: (80, 24))
  _ = update(&state, .key(.down), size: (80, 24))
  return state
}

@Suite struct LinesScreenTests {
  func braille(_ canvas: Canvas) -> [Cell] {
    canvas.cells.filter {
      $0.character.unicodeScalars.first.map { (0x2801...0x28FF).contains($0.value) } ?? false
    }
  }

  @Test(arguments: [(80, 24), (200, 60)]) func goldenFrames(_ width: Int, _ height: Int) {
    var state = linesScreenState()
    #expect(state.screen == .lines)
    assertSnapshot(
      AppView.view(state, size: (width, height)), depth: .palette256, named: "screen-lines-\(width)x\(height)"
    )
    _ = update(&state, .key(.character("a")), size: (width, height))
    _ = update(&state, .key(.character("m")), size: (width, height))
    assertSnapshot(
      AppView.view(state, size: (width, height)), depth: .palette256,
      named: "screen-lines-all-\(width)x\(height)")
  }

  @Test func theStrongestLineIsTheBrightestAndOnlyTheSelectedHeadsColourIsUsed() {
    let state = linesScreenState()
    let canvas = AppView.view(state, size: (80, 24))
    let cells = braille(canvas)
    #expect(!cells.isEmpty)
    // Head 1 of layer 1 at query "love" (1): weight 0.7 on key 1, 0.1 on the others.
    let strong = BrailleLines.intensity(LinesScreen.color(head: 0), weight: 0.7)
    let weak = BrailleLines.intensity(LinesScreen.color(head: 0), weight: 0.1)
    #expect(cells.contains { $0.foreground == strong && $0.attributes.contains(.bold) })
    #expect(cells.contains { $0.foreground == weak })
    #expect(cells.allSatisfy { $0.foreground == strong || $0.foreground == weak })
    let text = canvas.lines.joined(separator: "\n")
    #expect(text.contains("head 1/2 · from 'love'"))
    #expect(text.contains("'love' → 'i' = 0.1000"))
  }

  @Test func everyHeadOverlaidUsesEachHeadsColour() {
    var state = linesScreenState()
    _ = update(&state, .key(.character("m")), size: (80, 24))
    let colors = Set(braille(AppView.view(state, size: (80, 24))).map(\.foreground))
    let first = [0.7, 0.1].map { BrailleLines.intensity(LinesScreen.color(head: 0), weight: Float($0)) }
    let second = [0.7, 0.1].map { BrailleLines.intensity(LinesScreen.color(head: 1), weight: Float($0)) }
    #expect(!colors.isDisjoint(with: first) && !colors.isDisjoint(with: second))
    #expect(AppView.view(state, size: (80, 24)).lines.joined().contains("all 2 heads"))
  }

  @Test func layerHeadAndKindKeysAreScreenOnes() {
    var state = linesScreenState()
    _ = update(&state, .key(.character("]")), size: (80, 24))
    _ = update(&state, .key(.character(">")), size: (80, 24))
    _ = update(&state, .key(.character("x")), size: (80, 24))
    #expect(state.head == 1 && state.layer == 1 && state.kinds[state.kindIndex].kind == .cross)
    let text = AppView.view(state, size: (80, 24)).lines.joined(separator: "\n")
    #expect(text.contains("decoder cross · layer 2/2 · head 2/2"))
  }

  @Test func aLineJoinsItsTwoDots() {
    var lines = BrailleLines(width: 4, height: 2)
    lines.line(from: (0, 0), to: (7, 7), weight: 1, color: .rgb(255, 0, 0))
    var canvas = Canvas(width: 4, height: 2)
    lines.draw(into: &canvas, x: 0, y: 0)
    // Dots (i, i): dots 1 and 5 (0x11) in the first cell of each pair, dots 3 and 8 (0x84) in the second.
    #expect(canvas.lines == ["⠑⢄  ", "  ⠑⢄"])
  }

  @Test func theLinesViewExportsAsSVGAndDegradesToASCII() throws {
    var state = linesScreenState()
    let files = ScreenExport.files(state, size: (80, 24), name: "lines")
    #expect(files.map(\.path) == ["lines.svg", "lines.ans"])
    #expect(try XMLCheck.parses(files[0].contents))
    #expect(files[0].contents.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
    state.glyphs = .ascii
    let ascii = AppView.view(state, size: (80, 24)).lines.joined()
    #expect(ascii.allSatisfy { $0.isASCII })
  }
}
