// Wide characters (CJK, emoji) take two columns on the canvas, in every exporter and in labels.
import Testing

@testable import Render

@Suite struct WideCharacterTests {
  @Test func columnsFollowEastAsianWidth() {
    #expect(TerminalText.columns(of: "a") == 1)
    #expect(TerminalText.columns(of: "é") == 1)
    #expect(TerminalText.columns(of: "の") == 2)
    #expect(TerminalText.columns(of: "日本") == 4)
    #expect(TerminalText.columns(of: "😀") == 2)
    #expect(TerminalText.columns(of: "Ｗ") == 2)  // fullwidth form
    #expect(TerminalText.columns(of: "▁の") == 3)  // SentencePiece's word marker is narrow
    #expect(TerminalText.prefix("日本語", columns: 5) == "日本")
    #expect(TerminalText.padded("の", columns: 4) == "の  ")
  }

  @Test func putTakesTwoColumnsPerWideCharacter() {
    var canvas = Canvas(width: 6, height: 1)
    #expect(canvas.put("aの b", x: 0, y: 0) == 5)
    #expect(canvas[1, 0].character == "の" && canvas[2, 0].isContinuation)
    #expect(canvas.lines == ["aの b "])
  }

  @Test func aWideCharacterThatWouldStraddleTheEdgeIsLeftOut() {
    var canvas = Canvas(width: 3, height: 1)
    #expect(canvas.put("aの", x: 1, y: 0) == 1)
    #expect(canvas.lines == [" a "])
    var limited = Canvas(width: 6, height: 1)
    #expect(limited.put("日本", x: 0, y: 0, maxWidth: 3) == 2)
  }

  @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
    var canvas = Canvas(width: 4, height: 1)
    canvas.put("日本", x: 0, y: 0)
    canvas.put("x", x: 1, y: 0)  // the right half of 日
    #expect(canvas.lines == [" x本"])
    canvas.put("y", x: 2, y: 0)  // the left half of 本
    #expect(canvas.lines == [" xy "])
    #expect(canvas.cells.allSatisfy { !$0.isContinuation })
  }

  @Test func aContinuationWithoutItsLeftHalfIsABlank() {
    var canvas = Canvas(width: 3, height: 1)
    canvas[1, 0] = Cell(Cell.continuationCharacter)
    #expect(!canvas[1, 0].isContinuation && canvas.lines == ["   "])
  }

  @Test func linesAndTheCanvasFromLinesMeasureInColumns() {
    let canvas = Canvas(lines: ["の", "abc"])
    #expect(canvas.width == 3)
    #expect(canvas.lines == ["の ", "abc"])
  }

  @Test func theANSIExporterWritesTheCharacterOnce() {
    var canvas = Canvas(width: 4, height: 1)
    canvas.put("の!", x: 0, y: 0)
    #expect(ANSIExporter.render(canvas, depth: .monochrome) == "\u{1B}[0mの!\u{1B}[0m\n")
  }

  @Test func theSVGExporterGivesAWideCharacterTwoCells() {
    var canvas = Canvas(width: 5, height: 1)
    canvas.put("aの", x: 0, y: 0)
    let svg = SVGExporter.render(canvas)
    #expect(svg.contains(">a</text>"))
    #expect(
      svg.contains("x=\"\(SVGExporter.cellWidth)\" y=\"12\" textLength=\"\(2 * SVGExporter.cellWidth)\""))
    #expect(svg.contains(">の</text>"))
    #expect(!svg.contains("\u{0}"))
  }

  @Test func asciiTransliterationKeepsTheColumns() {
    var canvas = Canvas(width: 4, height: 1)
    canvas.put("の.", x: 0, y: 0)
    #expect(canvas.asciiTransliterated().lines == ["??. "])
  }

  @Test func labelsAreShortenedByColumns() {
    #expect(Heatmap.fitted("日本語です", 5, ellipsis: "…") == "日本…")
    #expect(Heatmap.fitted("の", 2, ellipsis: "…") == "の")
    let widget = HeatmapWidget(
      data: HeatmapData(values: [[1]], rowLabels: ["日本"], columnLabels: ["a"]), depth: .monochrome)
    #expect(widget.rowLabelWidth == 5)
  }
}
