// Heatmap panning, zoom and column-label layouts, as literal lines (monochrome: characters carry
// the shade), in the style of ratatui's widget tests.
import Testing

@testable import Render

@Suite struct HeatmapViewportTests {
  /// n × n, entry (r, c) = c / (n - 1), so each column has its own shade.
  static func ramp(_ n: Int) -> HeatmapData {
    HeatmapData(
      values: (0..<n).map { _ in (0..<n).map { Float($0) / Float(n - 1) } },
      rowLabels: (0..<n).map { "r\($0)" }, columnLabels: (0..<n).map { "c\($0)" })
  }

  static func draw(_ widget: HeatmapWidget) -> [String] {
    var canvas = Canvas(width: widget.size.width, height: widget.size.height)
    widget.draw(into: &canvas, x: 0, y: 0)
    return canvas.lines
  }

  @Test func theViewportShowsAWindowOfTheMatrix() {
    var widget = HeatmapWidget(data: Self.ramp(10), depth: .monochrome)
    widget.cellWidth = 1
    widget.columnLabelStyle = .indices
    (widget.visibleRows, widget.visibleColumns) = (2, 4)
    widget.origin = (3, 5)
    // Columns 5…8 of a 0…1 ramp over 10 columns: 5/9, 6/9, 7/9, 8/9 on the ASCII ramp; two-digit
    // indices for ten columns need every second number.
    #expect(Self.draw(widget) == ["    6 8", "r3 +*#%", "r4 +*#%"])
    #expect(widget.entry(atX: 3, y: 1)! == (3, 5))
    #expect(widget.entry(atX: 6, y: 2)! == (4, 8))
    #expect(widget.entry(atX: 7, y: 2) == nil)
  }

  @Test func panningStopsAtTheEdges() {
    var widget = HeatmapWidget(data: Self.ramp(10), depth: .monochrome)
    (widget.visibleRows, widget.visibleColumns) = (4, 4)
    widget.pan(rows: 100, columns: -3)
    #expect(widget.origin == (6, 0))
    widget.pan(rows: -2, columns: 7)
    #expect(widget.origin == (4, 6))
  }

  @Test func aLongMatrixFollowsTheCursor() {
    var widget = HeatmapWidget(data: Self.ramp(300), depth: .trueColor)
    widget.cellWidth = 1
    widget.fit(width: 40, height: 20)
    #expect(widget.size.width <= 40 && widget.size.height <= 20)
    widget.cursor = (299, 150)
    widget.scrollToCursor()
    #expect(widget.rowRange.contains(299) && widget.columnRange.contains(150))
    #expect(widget.rowRange.upperBound == 300)
    // Moving the cursor one step inside the window does not move the window.
    let before = widget.origin
    widget.cursor = (298, 149)
    widget.scrollToCursor()
    #expect(widget.origin == before)
  }

  @Test func zoomStepsThroughTheLevels() {
    var widget = HeatmapWidget(data: Self.ramp(3), depth: .monochrome)
    widget.zoom(by: 1)
    #expect(widget.cellWidth == 5)
    widget.zoom(by: 1)
    #expect(widget.cellWidth == 5)
    widget.zoom(by: -2)
    #expect(widget.cellWidth == 2)
    widget.zoom(by: -5)
    #expect(widget.cellWidth == 1)
  }

  @Test func labelsThatFitTheirCellsAreWrittenAcross() {
    var widget = HeatmapWidget(data: Self.ramp(3), depth: .monochrome)
    widget.columnLabelStyle = .automatic
    #expect(Self.draw(widget) == ["   c0 c1 c2 ", "r0    +++@@@", "r1    +++@@@", "r2    +++@@@"])
  }

  @Test func abbreviatedLabelsGetAnIndexRow() {
    let data = HeatmapData(
      values: [[0, 0.5, 1]], rowLabels: ["r"], columnLabels: ["internationalisation", "internationally", "a"])
    var widget = HeatmapWidget(data: data, depth: .monochrome)
    widget.cellWidth = 2
    widget.maxHeaderHeight = 4
    widget.columnLabelStyle = .automatic
    #expect(Self.draw(widget) == ["   i i a", "   n n  ", "   … …  ", "   0 1 2", "r   ++@@"])
    widget.glyphs = .ascii
    #expect(Self.draw(widget)[2] == "   ~ ~  ")
  }

  @Test func indexRowsThinOutAndAlwaysShowTheCursor() {
    var widget = HeatmapWidget(data: Self.ramp(300), depth: .monochrome)
    (widget.cellWidth, widget.columnLabelStyle) = (1, .indices)
    (widget.visibleRows, widget.visibleColumns) = (1, 12)
    #expect(Self.draw(widget)[0] == "     0    5    10")
    widget.cursor = (0, 3)
    #expect(Self.draw(widget)[0] == "     0  3      10")
  }
}
