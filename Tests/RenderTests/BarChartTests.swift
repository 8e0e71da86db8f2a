// Bar charts for top-k probabilities: literal lines in Unicode (eighth blocks) and ASCII.
import Testing

@testable import Render

@Suite struct BarChartTests {
  let items = [
    BarChartItem(label: "amo", value: 0.75, marked: true), BarChartItem(label: "molto", value: 0.25),
  ]

  func draw(_ chart: BarChartWidget, width: Int, height: Int) -> [String] {
    var canvas = Canvas(width: width, height: height)
    chart.draw(into: &canvas, x: 0, y: 0, width: width, height: height)
    return canvas.lines
  }

  @Test func topKProbabilitiesWithTheChosenTokenMarked() {
    var chart = BarChartWidget(items: items)
    (chart.scale, chart.markedNote) = (1, "chosen")
    #expect(
      draw(chart, width: 30, height: 2) == [
        "▶ amo   ██████·· 0.750  chosen",
        "  molto ██······ 0.250        ",
      ])
  }

  @Test func asciiBarsUseWholeCells() {
    var chart = BarChartWidget(items: items)
    (chart.scale, chart.glyphs, chart.decimals) = (1, .ascii, 2)
    #expect(
      draw(chart, width: 20, height: 3) == [
        "> amo   #####.. 0.75",
        "  molto ##..... 0.25",
        "                    ",
      ])
  }

  @Test func eighthBlocksShowFractions() {
    #expect(BarChartWidget.bar(fraction: 0.55, width: 4, glyphs: .unicode) == "██▎·")
    #expect(BarChartWidget.bar(fraction: 0.55, width: 4, glyphs: .ascii) == "##..")
    #expect(BarChartWidget.bar(fraction: 1.7, width: 3, glyphs: .unicode, track: false) == "███")
    #expect(BarChartWidget.bar(fraction: -1, width: 3, glyphs: .unicode) == "···")
    #expect(BarChartWidget.bar(fraction: .nan, width: 2, glyphs: .ascii) == "..")
  }

  @Test func theLargestValueFillsTheBarWithoutAScaleAndTheSelectionIsReversed() {
    var chart = BarChartWidget(items: [
      BarChartItem(label: "cat", value: 2), BarChartItem(label: "dog", value: 1),
    ])
    chart.selected = 1
    var canvas = Canvas(width: 16, height: 2)
    chart.draw(into: &canvas, x: 0, y: 0, width: 16, height: 2)
    #expect(canvas.lines == ["  cat ████ 2.000", "  dog ██·· 1.000"])
    #expect(canvas[2, 1].attributes.contains(.reverse) && !canvas[2, 0].attributes.contains(.reverse))
  }
}
