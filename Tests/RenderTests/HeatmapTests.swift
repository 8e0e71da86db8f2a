// The heatmap widget and legend, compared as literal lines (monochrome, so characters carry the shade).
import Testing

@testable import Render

@Suite struct HeatmapTests {
  let data = HeatmapData(
    values: [[1, 0, 0], [0.5, 0.5, 0], [0, 0.25, 0.75]],
    masked: [[false, true, true], [false, false, true], [false, false, false]],
    rowLabels: ["<s>", "ti", "amo"], columnLabels: ["<s>", "ti", "amo"])

  @Test func monochromeSnapshot() {
    var widget = HeatmapWidget(data: data, depth: .monochrome)
    widget.cursor = (1, 1)
    var canvas = Canvas(width: widget.size.width, height: widget.size.height)
    widget.draw(into: &canvas, x: 0, y: 0)
    #expect(
      canvas.lines == [
        "     <  t  a ",
        "     s  i  m ",
        "     >     o ",
        "<s> @@@xxxxxx",
        "ti  +++[+]xxx",
        "amo    :::###",
      ])
  }

  @Test func maskedCellsDifferFromZeroProbability() {
    for depth in ColorDepth.allCases {
      let widget = HeatmapWidget(data: data, depth: depth)
      #expect(widget.cell(row: 0, column: 1) != widget.cell(row: 2, column: 0), "\(depth)")
    }
  }

  @Test func colourCellsUseTheBackground() {
    let widget = HeatmapWidget(data: data, depth: .palette256)
    #expect(widget.cell(row: 0, column: 0).background == ColorMap.viridis.color(at: 1))
    #expect(widget.cell(row: 2, column: 0).background == ColorMap.viridis.color(at: 0))
  }

  @Test func hitTesting() {
    let widget = HeatmapWidget(data: data, depth: .monochrome)
    #expect(widget.entry(atX: 4, y: 3)! == (0, 0))
    #expect(widget.entry(atX: 12, y: 5)! == (2, 2))
    #expect(widget.entry(atX: 2, y: 3) == nil)
    #expect(widget.entry(atX: 5, y: 1) == nil)
  }

  @Test func longLabelsAreShortenedWithAnEllipsis() {
    #expect(Heatmap.fitted("internationalisation", 6) == "inter…")
    #expect(Heatmap.fitted("ok", 6) == "ok")
  }

  @Test func legendShowsRangeAndMaskedSwatch() {
    var canvas = Canvas(width: 50, height: 1)
    var legend = LegendWidget(depth: .monochrome)
    legend.width = 10
    legend.draw(into: &canvas, x: 0, y: 0)
    #expect(canvas.lines == ["0.00  .:-=+*#%@ 1.00   x masked                   "])
  }

  @Test func viridisEnds() {
    #expect(ColorMap.viridis.color(at: 0) == .rgb(68, 1, 84))
    #expect(ColorMap.viridis.color(at: 1) == .rgb(253, 231, 37))
    #expect(ColorMap.viridis.color(at: .nan) == .rgb(68, 1, 84))
  }
}
