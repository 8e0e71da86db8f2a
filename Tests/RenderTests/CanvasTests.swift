// Canvas writes, clipping and sanitising; colour quantisation; the ANSI exporter.
import Testing

@testable import Render

@Suite struct CanvasTests {
  @Test func linesRoundTrip() {
    let canvas = Canvas(lines: ["ab", "cde"])
    #expect(canvas.width == 3 && canvas.height == 2)
    #expect(canvas.lines == ["ab ", "cde"])
  }

  @Test func writesAreClippedNotFatal() {
    var canvas = Canvas(width: 4, height: 2)
    canvas.put("hello", x: 2, y: 1)
    canvas.put("x", x: -1, y: 0)
    canvas.put("y", x: 0, y: 5)
    canvas[10, 10] = Cell("z")
    #expect(canvas.lines == ["    ", "  he"])
  }

  @Test func controlCharactersNeverReachTheTerminal() {
    var canvas = Canvas(width: 6, height: 1)
    canvas.put("a\u{1B}[2Jb", x: 0, y: 0)
    #expect(canvas.lines == ["a?[2Jb"])
  }

  @Test func blitAndFill() {
    var canvas = Canvas(width: 4, height: 3)
    canvas.fill(x: 1, y: 1, width: 10, height: 10, with: Cell("#"))
    canvas.blit(Canvas(lines: ["ab"]), x: 0, y: 0)
    #expect(canvas.lines == ["ab  ", " ###", " ###"])
  }

  @Test func paletteQuantisation() {
    #expect(Color.rgb(0, 0, 0).paletteIndex == 16)
    #expect(Color.rgb(255, 255, 255).paletteIndex == 231)
    #expect(Color.rgb(255, 0, 0).paletteIndex == 196)
    #expect(Color.rgb(128, 128, 128).paletteIndex == 244)
    #expect(Color.rgb(250, 10, 10).ansi16Index == 9)
    #expect(Color.terminalDefault.paletteIndex == nil)
  }

  @Test func ansiExportSwitchesStylesOnlyWhenTheyChange() {
    var canvas = Canvas(width: 5, height: 2)
    canvas.put("ab", x: 0, y: 0, attributes: [.bold])
    canvas[2, 0] = Cell(" ", background: .rgb(255, 0, 0))
    canvas.put("c", x: 0, y: 1)
    #expect(
      ANSIExporter.render(canvas, depth: .palette256)
        == "\u{1B}[0;1mab\u{1B}[0;48;5;196m \u{1B}[0m\n\u{1B}[0mc\u{1B}[0m\n")
    #expect(ANSIExporter.render(canvas, depth: .trueColor).contains("48;2;255;0;0"))
    #expect(ANSIExporter.render(canvas, depth: .ansi16).contains("\u{1B}[0;101m"))
    #expect(!ANSIExporter.render(canvas, depth: .monochrome).contains("48;"))
  }
}
