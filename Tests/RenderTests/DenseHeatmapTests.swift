// The half-block heatmap: two matrix rows per cell in colour, one per cell elsewhere, and pooling
// into a thumbnail box.
import Testing

@testable import Render

@Suite struct DenseHeatmapTests {
  let map = ColorMap.viridis
  let odd: [[Float]] = [[0, 1], [0.5, 0], [1, 0.5]]

  static func draw(_ widget: DenseHeatmapWidget, width: Int, height: Int, stretch: Bool = false) -> Canvas {
    var canvas = Canvas(width: width, height: height)
    widget.draw(into: &canvas, x: 0, y: 0, width: width, height: height, stretch: stretch)
    return canvas
  }

  @Test func twoRowsPerCellWithAnEmptyLowerHalfForOddCounts() {
    let widget = DenseHeatmapWidget(values: odd, depth: .trueColor)
    #expect(widget.size == (2, 2))
    var canvas = Canvas(width: 2, height: 2)
    widget.draw(into: &canvas, x: 0, y: 0)
    #expect(canvas.lines == ["▀▀", "▀▀"])
    #expect(canvas[0, 0] == Cell("▀", foreground: map.color(at: 0), background: map.color(at: 0.5)))
    #expect(canvas[1, 0] == Cell("▀", foreground: map.color(at: 1), background: map.color(at: 0)))
    #expect(canvas[0, 1] == Cell("▀", foreground: map.color(at: 1), background: .terminalDefault))
  }

  @Test func maskedHalvesAreNeutralGrey() {
    let masked = [[false, true], [false, false], [false, false]]
    let widget = DenseHeatmapWidget(values: odd, masked: masked, depth: .palette256)
    var canvas = Canvas(width: 2, height: 2)
    widget.draw(into: &canvas, x: 0, y: 0)
    #expect(canvas[1, 0].foreground == DenseHeatmapWidget.maskedColor)
    #expect(canvas[1, 0].background == map.color(at: 0))
  }

  @Test func withoutGradientsOrHalfBlocksOneRowPerCell() {
    let masked = [[false, true], [false, false], [false, false]]
    let mono = DenseHeatmapWidget(values: odd, masked: masked, depth: .monochrome)
    #expect(mono.size == (2, 3))
    #expect(Self.draw(mono, width: 2, height: 3).lines == [" x", "+ ", "@+"])
    var ascii = DenseHeatmapWidget(values: odd, depth: .trueColor)
    ascii.glyphs = .ascii
    #expect(!ascii.usesHalfBlocks && ascii.size == (2, 3))
    #expect(Self.draw(ascii, width: 2, height: 3)[0, 2] == Cell(" ", background: map.color(at: 1)))
    let sixteen = DenseHeatmapWidget(values: odd, depth: .ansi16)
    #expect(Self.draw(sixteen, width: 2, height: 3).lines == [" █", "▒ ", "█▒"])
  }

  @Test func largerMatricesArePooledIntoTheBox() {
    var values = Array(repeating: Array(repeating: Float(0), count: 4), count: 4)
    values[3][3] = 1
    var widget = DenseHeatmapWidget(values: values, depth: .monochrome)
    #expect(Self.draw(widget, width: 2, height: 1).lines == [" @"])
    widget.pooling = .mean
    #expect(Self.draw(widget, width: 2, height: 1).lines == [" ."])
    // In colour the box's one row holds two pooled rows.
    let colour = DenseHeatmapWidget(values: values, depth: .trueColor)
    let canvas = Self.draw(colour, width: 2, height: 1)
    #expect(canvas[1, 0] == Cell("▀", foreground: map.color(at: 0), background: map.color(at: 1)))
  }

  @Test func smallMatricesStretchOnlyWhenAsked() {
    let widget = DenseHeatmapWidget(values: [[0, 1], [1, 0]], depth: .monochrome)
    #expect(Self.draw(widget, width: 4, height: 4).lines == [" @  ", "@   ", "    ", "    "])
    #expect(Self.draw(widget, width: 4, height: 4, stretch: true).lines == ["  @@", "  @@", "@@  ", "@@  "])
  }

  @Test func poolingSkipsMaskedEntriesAndKeepsAllMaskedCellsMasked() {
    let widget = DenseHeatmapWidget(
      values: [[0, 1], [0, 1]], masked: [[true, false], [true, false]], depth: .monochrome)
    #expect(Self.draw(widget, width: 2, height: 1).lines == ["x@"])
    let pooled = Resampling.resample(
      values: [[-3, 2], [1, 0]], masked: [[false, false], [false, false]], rows: 1, columns: 1,
      pooling: .maxMagnitude)
    #expect(pooled.values == [[-3]] && pooled.masked == [[false]])
  }
}
