// The 8-colour depth, glyph sets chosen from the locale, and diverging shading centred on zero.
import Testing

@testable import Render

@Suite struct ColorDepthAndGlyphsTests {
  @Test func glyphsFollowTheLocale() {
    #expect(Glyphs.detect(environment: ["LANG": "en_US.UTF-8"]) == .unicode)
    #expect(Glyphs.detect(environment: ["LC_CTYPE": "C.utf8"]) == .unicode)
    #expect(Glyphs.detect(environment: ["LC_ALL": "C", "LANG": "en_US.UTF-8"]) == .ascii)
    #expect(Glyphs.detect(environment: ["LC_ALL": "", "LANG": "it_IT.UTF-8"]) == .unicode)
    #expect(Glyphs.detect(environment: [:]) == .ascii)
  }

  @Test func asciiGlyphsAreSevenBit() {
    let g = Glyphs.ascii
    let characters =
      g.shadeRamp + g.barEighths
      + [
        g.barTrack, g.box.horizontal, g.box.vertical, g.box.topLeft, g.box.topRight, g.box.bottomLeft,
        g.box.bottomRight, g.ellipsis, g.arrowUp, g.arrowDown, g.arrowLeft, g.arrowRight, g.marker,
        g.bullet, g.masked,
      ]
    let strings = [g.tree.branch, g.tree.lastBranch, g.tree.continuation, g.tree.gap]
    #expect(characters.allSatisfy { $0.isASCII })
    #expect(strings.allSatisfy { $0.allSatisfy(\.isASCII) && $0.count == 3 })
    #expect(g.upperHalfBlock == nil)
  }

  @Test func eightColoursExportWithoutTheBrightHalf() {
    var canvas = Canvas(width: 3, height: 1)
    canvas[0, 0] = Cell("a", foreground: .ansi(9), background: .rgb(250, 10, 10))
    canvas[1, 0] = Cell("b", foreground: .ansi(8))
    canvas[2, 0] = Cell("c", foreground: .rgb(0, 200, 0))
    #expect(
      ANSIExporter.render(canvas, depth: .ansi8)
        == "\u{1B}[0;31;41ma\u{1B}[0;37mb\u{1B}[0;32mc\u{1B}[0m\n")
    #expect(ColorDepth(rawValue: "8") == .ansi8)
    #expect(!ColorDepth.ansi8.showsGradients && ColorDepth.palette256.showsGradients)
  }

  @Test func paletteIndicesBackToRGB() {
    #expect(Color.rgb(forPaletteIndex: 196) == .rgb(255, 0, 0))
    #expect(Color.rgb(forPaletteIndex: 232) == .rgb(8, 8, 8))
    #expect(Color.rgb(forPaletteIndex: 15) == .rgb(255, 255, 255))
    #expect(Color.rgb(250, 10, 10).quantized(to: .palette256) == .rgb(255, 0, 0))
    #expect(Color.rgb(250, 10, 10).quantized(to: .ansi8) == .ansi(1))
    #expect(Color.rgb(250, 10, 10).quantized(to: .monochrome) == .terminalDefault)
  }

  @Test func fewColoursShadeWithTheGlyphSetsRamp() {
    let map = ColorMap.viridis
    #expect(Heatmap.shadedCell(1, colorMap: map, depth: .ansi8).character == "█")
    #expect(Heatmap.shadedCell(1, colorMap: map, depth: .ansi16, glyphs: .ascii).character == "@")
    #expect(
      Heatmap.shadedCell(1, colorMap: map, depth: .ansi16, glyphs: .ascii).foreground == map.color(at: 1))
    #expect(Heatmap.maskedCell(depth: .ansi16, glyphs: .ascii).character == "x")
  }

  @Test func divergingShadingKeepsTheSignWithoutColour() {
    let map = ColorMap.diverging
    let mono = [0, 0.25, 0.5, 0.75, 1].map {
      Heatmap.shadedCell($0, colorMap: map, depth: .monochrome).character
    }
    #expect(mono == ["=", "-", " ", "+", "#"])
    // With a few colours the hue says the sign and the block says the magnitude.
    let negative = Heatmap.shadedCell(0, colorMap: map, depth: .ansi16)
    #expect(negative.character == "█" && negative.foreground == map.color(at: 0))
    #expect(Heatmap.shadedCell(0.5, colorMap: map, depth: .ansi16).character == " ")
  }

  @Test func divergingScaleIsCentredOnZero() {
    let data = HeatmapData(values: [[-2, 0, 1]], rowLabels: ["pos"], columnLabels: ["a", "b", "c"])
    var widget = HeatmapWidget(data: data, depth: .trueColor)
    widget.useDivergingScale()
    #expect(widget.range == -2...2)
    #expect(widget.cell(row: 0, column: 1).background == ColorMap.diverging.color(at: 0.5))
    #expect(widget.cell(row: 0, column: 0).background == ColorMap.diverging.color(at: 0))
    #expect(ValueRange.symmetric([[.nan, -.infinity]]) == -1...1)
    #expect(ValueRange.extent([[3, -1, .nan]]) == -1...3)
  }
}

/// PNG snapshots draw text from BitmapFont; a symbol without a glyph comes out as a box (the
/// ablated head's ✕ did). Every symbol the screens put in their text must have one.
@Suite struct BitmapFontCoverageTests {
  @Test func everySymbolTheScreensDrawHasAGlyph() {
    let symbols = "✕✗✓▲▼▶◀■●•·…≥≤→←↑↓×−–—αθπΣ√∞′‘’"
    for symbol in symbols {
      #expect(BitmapFont.glyph(symbol) != nil, "no PNG glyph for \(symbol)")
    }
  }
}
