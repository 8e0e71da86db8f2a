// Golden ANSI snapshots of the widgets at 24-bit and monochrome (files in Golden/; re-record with
// ATTNSCOPE_RECORD_SNAPSHOTS=1), plus the line diff the snapshots report with.
import Foundation
import TestSupport
import Testing

@testable import Render

@Suite struct SnapshotTests {
  static let attention = HeatmapData(
    values: [[1, 0, 0], [0.6, 0.4, 0], [0.1, 0.3, 0.6]],
    masked: [[false, true, true], [false, false, true], [false, false, false]],
    rowLabels: ["<s>", "ti", "amo"], columnLabels: ["<s>", "ti", "amo"])

  static func heatmapWithLegend(_ depth: ColorDepth) -> Canvas {
    var widget = HeatmapWidget(data: attention, depth: depth)
    widget.cursor = (2, 1)
    var canvas = Canvas(width: 40, height: widget.size.height + 2)
    widget.draw(into: &canvas, x: 0, y: 0)
    var legend = LegendWidget(depth: depth)
    legend.width = 10
    legend.draw(into: &canvas, x: 0, y: widget.size.height + 1)
    return canvas
  }

  static func topK() -> Canvas {
    var chart = BarChartWidget(items: [
      BarChartItem(label: "amo", value: 0.62, marked: true), BarChartItem(label: "voglio", value: 0.31),
      BarChartItem(label: "</s>", value: 0.07),
    ])
    (chart.scale, chart.markedNote) = (1, "chosen")
    var canvas = Canvas(width: 36, height: 3)
    chart.draw(into: &canvas, x: 0, y: 0, width: 36, height: 3)
    return canvas
  }

  static func positionalEncoding(_ depth: ColorDepth) -> Canvas {
    // A small sinusoidal table, positions × dimensions, on the diverging map (2 rows per cell).
    let values = (0..<6).map { position in
      (0..<8).map { dimension in
        let angle = Float(position) / pow(10, Float(dimension / 2) / 2)
        return dimension % 2 == 0 ? sin(angle) : cos(angle)
      }
    }
    var widget = DenseHeatmapWidget(values: values, depth: depth)
    widget.useDivergingScale()
    var canvas = Canvas(width: 8, height: widget.size.height)
    widget.draw(into: &canvas, x: 0, y: 0)
    return canvas
  }

  @Test func heatmapSnapshots() {
    assertSnapshot(Self.heatmapWithLegend(.trueColor), depth: .trueColor, named: "heatmap")
    assertSnapshot(Self.heatmapWithLegend(.monochrome), depth: .monochrome, named: "heatmap")
  }

  @Test func barChartSnapshots() {
    assertSnapshot(Self.topK(), depth: .trueColor, named: "bars")
    assertSnapshot(Self.topK(), depth: .monochrome, named: "bars")
  }

  @Test func denseDivergingSnapshots() {
    assertSnapshot(Self.positionalEncoding(.trueColor), depth: .trueColor, named: "dense-diverging")
    assertSnapshot(Self.positionalEncoding(.monochrome), depth: .monochrome, named: "dense-diverging")
  }

  @Test func lineDiffNamesTheDifferingLines() {
    let diff = LineDiff.describe(expected: ["same", "old ", "gone"], actual: ["same", "new\u{1B}[0m"])
    #expect(
      diff == """
        2 of 3 lines differ (expected 3 lines, got 2):
        line 2:
          - |old |
          + |new␛[0m|
        line 3:
          - |gone|
          + (none)
        """)
    #expect(LineDiff.describe(expected: Canvas(lines: ["a"]), actual: Canvas(lines: ["a"])) == nil)
  }
}
