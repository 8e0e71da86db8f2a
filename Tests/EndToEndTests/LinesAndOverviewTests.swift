// The real binary in tmux: screen 9 (the lines view) at 80×24 with its keys and SVG export, and
// screen 1 on an input wider than the window (the pooled overview: pooling named and switched,
// zoom to one key per cell, `/` to jump, exact positions on the status line).
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct LinesAndOverviewTests {
  @Test func theLinesViewDrawsBrailleLinesAndExports() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attnscope-lines-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try tmux.start(command: [TmuxSession.binaryPath()], width: 80, height: 24)
    try tmux.waitFor("│ encoder self │ layer 1 head 1")
    try tmux.sendKeys("9")
    let frame = try tmux.waitFor("│ lines │ layer 1 head 1 │")
    #expect(frame.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "\(frame)")
    #expect(frame.contains("encoder self · layer 1/2 · head 1/4 · from 'i'"))
    try tmux.sendKeys("Down", "]", ">")
    try tmux.waitFor("│ lines │ layer 2 head 2 │ 'love' →")
    try tmux.sendKeys("a", "m")
    try tmux.waitFor("all 4 heads · from every token")
    try tmux.sendKeys("s")
    try tmux.waitFor("export screen to")
    let base = folder.appendingPathComponent("lines").path
    try tmux.sendLiteral(base)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("lines.svg")
    let svg = try String(contentsOfFile: base + ".svg", encoding: .utf8)
    #expect(svg.hasPrefix("<?xml") || svg.hasPrefix("<svg"))
    #expect(svg.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
  }

  @Test func aLongInputOpensOnThePooledOverview() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    let words = Array(repeating: "the red cat sees the dog", count: 12).joined(separator: " ")
    // en-it keeps 32 tokens (max_positions), one column each at 60×20 but more rows than the
    // window has: `Z` from one column per key goes to the pooled overview.
    try tmux.start(command: [TmuxSession.binaryPath(), "--text", words], width: 60, height: 20)
    try tmux.waitFor("input truncated")
    try tmux.sendKeys("Z")
    let overview = try tmux.waitFor("max-pooled")
    #expect(overview.contains("p mean"), "\(overview)")
    #expect(overview.contains("row 1/"))
    try tmux.sendKeys("p")
    try tmux.waitFor("mean-pooled, colours 0–")
    // Closer by halves until every key has its own cell (how many steps depends on the length).
    for _ in 0..<12 where !tmux.capture().contains("zoom: 1 column(s) per key") {
      try tmux.sendKeys("z")
      Thread.sleep(forTimeInterval: 0.3)
    }
    try tmux.waitFor("zoom: 1 column(s) per key")
    try tmux.sendKeys("/")
    try tmux.waitFor("find token")
    try tmux.sendLiteral("dog")
    try tmux.sendKeys("Enter")
    let found = try tmux.waitFor("found 'dog': query ")
    #expect(found.contains("row ") && found.contains("'dog'"), "\(found)")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
  }
}
