// Colour depth detection, colour-number mapping per terminal, and the colour-pair cache.
import CNcurses
import Render
import Testing

@testable import Terminal

@Suite struct ColorDepthDetectionTests {
  @Test func noColorWinsWhenNonEmpty() {
    let depth = TerminalScreen.detectColorDepth(
      environment: ["NO_COLOR": "1", "COLORTERM": "truecolor"], colors: 256)
    #expect(depth == .monochrome)
    #expect(TerminalScreen.detectColorDepth(environment: ["NO_COLOR": ""], colors: 256) == .palette256)
  }

  @Test func colorTermAnnouncesDirectColour() {
    for value in ["truecolor", "24bit", "TrueColor"] {
      #expect(TerminalScreen.detectColorDepth(environment: ["COLORTERM": value], colors: 8) == .trueColor)
    }
    #expect(TerminalScreen.detectColorDepth(environment: ["COLORTERM": "yes"], colors: 8) == .ansi8)
  }

  @Test func terminfoColourCount() {
    #expect(TerminalScreen.detectColorDepth(environment: [:], colors: 256) == .palette256)
    #expect(TerminalScreen.detectColorDepth(environment: [:], colors: 88) == .ansi16)
    #expect(TerminalScreen.detectColorDepth(environment: [:], colors: 16) == .ansi16)
    #expect(TerminalScreen.detectColorDepth(environment: [:], colors: 8) == .ansi8)
    #expect(TerminalScreen.detectColorDepth(environment: [:], colors: 2) == .monochrome)
    #expect(TerminalScreen.detectColorDepth(environment: [:], colors: 0) == .monochrome)
  }
}

@Suite struct CursesColorMapperTests {
  typealias Resolved = CursesColorMapper.Resolved

  @Test func paletteOnA256ColourTerminal() {
    let mapper = CursesColorMapper(depth: .palette256, terminalColors: 256, defaultColors: true)
    #expect(
      mapper.resolve(foreground: .rgb(255, 0, 0), background: .terminalDefault)
        == Resolved(foreground: 196, background: -1, brightBold: false))
    #expect(
      mapper.resolve(foreground: .ansi(9), background: .ansi(4))
        == Resolved(foreground: 9, background: 4, brightBold: false))
  }

  @Test func trueColorIsDrawnWithThePalette() {
    let mapper = CursesColorMapper(depth: .trueColor, terminalColors: 256, defaultColors: true)
    #expect(mapper.resolve(foreground: .rgb(0, 0, 0), background: .rgb(255, 255, 255)).foreground == 16)
  }

  @Test func brightColoursBecomeBoldOnEightColourTerminals() {
    let mapper = CursesColorMapper(depth: .ansi16, terminalColors: 8, defaultColors: true)
    #expect(
      mapper.resolve(foreground: .ansi(9), background: .ansi(12))
        == Resolved(foreground: 1, background: 4, brightBold: true))
    #expect(mapper.resolve(foreground: .ansi(2), background: .ansi(0)).brightBold == false)
  }

  @Test func eightColourDepthUsesTheNearestOfEight() {
    let mapper = CursesColorMapper(depth: .ansi8, terminalColors: 8, defaultColors: true)
    // Bright red is plain red; grey (bright black) becomes white rather than invisible black.
    #expect(
      mapper.resolve(foreground: .ansi(9), background: .ansi(8))
        == Resolved(foreground: 1, background: 7, brightBold: false))
    #expect(mapper.resolve(foreground: .rgb(250, 20, 20), background: .terminalDefault).foreground == 1)
  }

  @Test func forcedPaletteFallsBackToWhatTheTerminalHas() {
    let sixteen = CursesColorMapper(depth: .palette256, terminalColors: 16, defaultColors: true)
    #expect(sixteen.resolve(foreground: .rgb(255, 0, 0), background: .terminalDefault).foreground == 9)
    let eight = CursesColorMapper(depth: .palette256, terminalColors: 8, defaultColors: true)
    #expect(eight.resolve(foreground: .rgb(255, 0, 0), background: .terminalDefault).foreground == 1)
  }

  @Test func defaultsWithoutDefaultColourSupport() {
    let mapper = CursesColorMapper(depth: .ansi16, terminalColors: 8, defaultColors: false)
    #expect(
      mapper.resolve(foreground: .terminalDefault, background: .terminalDefault)
        == Resolved(foreground: 7, background: 0, brightBold: false))
  }

  @Test func monochromeOrNoColoursUsesNone() {
    let mono = CursesColorMapper(depth: .monochrome, terminalColors: 256, defaultColors: true)
    #expect(mono.resolve(foreground: .ansi(1), background: .rgb(1, 2, 3)) == CursesColorMapper.noColor)
    let none = CursesColorMapper(depth: .palette256, terminalColors: 0, defaultColors: false)
    #expect(none.resolve(foreground: .ansi(1), background: .ansi(2)) == CursesColorMapper.noColor)
  }
}

@Suite struct ColorPairTableTests {
  @Test func definesEachPairOnceAndReusesIt() {
    var table = ColorPairTable(capacity: 16)
    var defined: [[Int32]] = []
    let define: (Int32, Int32, Int32) -> Bool = {
      defined.append([$0, $1, $2]); return true
    }
    #expect(table.pair(foreground: 1, background: 2, define: define) == 1)
    #expect(table.pair(foreground: 3, background: -1, define: define) == 2)
    #expect(table.pair(foreground: 1, background: 2, define: define) == 1)
    #expect(table.pair(foreground: -1, background: -1, define: define) == 0)
    #expect(defined == [[1, 1, 2], [2, 3, -1]])
  }

  @Test func runsOutThenStartsOver() {
    var table = ColorPairTable(capacity: 3)
    let define: (Int32, Int32, Int32) -> Bool = { _, _, _ in true }
    #expect(table.pair(foreground: 1, background: 0, define: define) == 1)
    #expect(table.pair(foreground: 2, background: 0, define: define) == 2)
    #expect(table.pair(foreground: 3, background: 0, define: define) == nil)
    #expect(table.pair(foreground: 1, background: 0, define: define) == 1, "existing pairs still work")
    table.reset()
    #expect(table.pair(foreground: 3, background: 0, define: define) == 1)
  }

  @Test func aRefusedPairFallsBackToDefaultsWithoutRetrying() {
    var table = ColorPairTable(capacity: 8)
    var attempts = 0
    let refuse: (Int32, Int32, Int32) -> Bool = { _, _, _ in
      attempts += 1; return false
    }
    #expect(table.pair(foreground: 300, background: 0, define: refuse) == 0)
    #expect(table.pair(foreground: 300, background: 0, define: refuse) == 0)
    #expect(attempts == 1)
  }

  @Test func noColourTerminalHasNoPairs() {
    var table = ColorPairTable(capacity: 0)
    #expect(table.pair(foreground: 1, background: 2) { _, _, _ in true } == nil)
  }
}
