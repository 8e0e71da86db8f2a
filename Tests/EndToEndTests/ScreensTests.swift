// Screens 1–7 of the real binary in tmux: zoom, the model view (mouse click, Enter), the Q·K
// detail, positional encodings, a resize to 60×20 and back, help, export to files and to an
// unwritable path, and quit with the terminal restored. Each step waits for the status line, which
// is drawn last, before reading the frame.
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ScreensTests {
  @Test func everyScreenResizeMouseHelpExportAndQuit() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attnscope-export-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try tmux.start(command: [TmuxSession.binaryPath()], width: 100, height: 30)
    try tmux.waitFor("│ encoder self │ layer 1 head 1")
    try tmux.sendKeys("Z")
    try tmux.waitFor("zoom: 8 column(s) per key")

    // 5: the model view of en-it's encoder (2 layers × 4 heads of 6×6), 23×12-cell grid at 100×30:
    // layer 2, head 3 starts at column 50, row 15 (0-based); SGR mouse reports are 1-based.
    try tmux.sendKeys("5")
    try tmux.waitFor("│ model view │ encoder self │ layer 1/2 head 1/4")
    try tmux.sendLiteral("\u{1B}[<0;53;18M")
    try tmux.sendLiteral("\u{1B}[<0;53;18m")
    try tmux.waitFor("│ model view │ encoder self │ layer 2/2 head 3/4")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("│ encoder self │ layer 2 head 3 │")

    // 6: the arithmetic for the second query token, with recorded vectors.
    try tmux.sendKeys("6", "Down")
    let detail = try tmux.waitFor("│ q·k │ encoder self │ layer 2 head 3 │ 'love' → 'i' q·k ")
    #expect(detail.contains("d_k = 24") && detail.contains("output = Σ p_j·v_j = ["))

    // 7: sinusoidal positions; Tab moves the cursor to the similarity pane, `m` the model's table.
    try tmux.sendKeys("7")
    try tmux.waitFor("│ positions │ sinusoidal 64×128 │ PE[pos 0, dim 0] = 0.0000")
    try tmux.sendKeys("Tab", "Right")
    try tmux.waitFor("cos(PE[0], PE[1]) = ")
    try tmux.sendKeys("m")
    try tmux.waitFor("│ positions │ en-it sinusoidal")

    // 2–4 and back, through the decoding screens.
    try tmux.sendKeys("2")
    try tmux.waitFor("│ decode │ step 1/")
    try tmux.sendKeys("3")
    try tmux.waitFor("│ compare │ greedy")
    try tmux.sendKeys("4")
    try tmux.waitFor("│ beam tree │ node")
    try tmux.sendKeys("7")
    try tmux.waitFor("│ positions │ en-it sinusoidal")

    try tmux.resize(width: 60, height: 20)
    let small = try tmux.waitFor("│ positions │ en-it")
    #expect(small.split(separator: "\n").count <= 20)
    try tmux.resize(width: 100, height: 30)
    try tmux.waitFor("cos(PE[0], PE[1]) = ")

    try tmux.sendKeys("?")
    // At 100×30 the keys take two pages (space turns them); either footer ends "key closes …".
    let help = try tmux.waitFor("key closes")
    #expect(help.contains("7 positions"))
    try tmux.sendKeys("Escape")
    try tmux.waitFor("cos(PE[0], PE[1]) = ")

    // Export: three files and a notice saying where; then an unwritable path, and the TUI goes on.
    let base = folder.appendingPathComponent("shot").path
    try tmux.sendKeys("s")
    try tmux.waitFor("export screen to")
    try tmux.sendLiteral(base)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("\(folder.lastPathComponent)/shot.svg, ", timeout: 10)
    let png = try Data(contentsOf: URL(fileURLWithPath: base + ".png"))
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "the PNG beside them")
    let svg = try String(contentsOfFile: base + ".svg", encoding: .utf8)
    #expect(XMLParser(data: Data(svg.utf8)).parse(), "the exported SVG is XML")
    #expect(try String(contentsOfFile: base + ".ans", encoding: .utf8).contains("positions"))
    try tmux.sendKeys("s")
    try tmux.sendLiteral("/nonexistent-attnscope-dir/shot")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("could not write /nonexistent-attnscope-dir/shot.svg: No such file or directory")
    try tmux.sendKeys("1")
    try tmux.waitFor("│ encoder self │ layer 2 head 3 │")

    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    #expect(tmux.display("#{alternate_on} #{cursor_flag}") == "0 1")
    let stty = tmux.sttySettings()
    for flag in [" icanon ", " echo ", " onlcr "] { #expect(stty.contains(flag), "stty lacks\(flag)") }
  }
}

@Suite struct PositionalAndSVGHeadlessTests {
  @Test func peCommandFormats() throws {
    let ansi = try runBinary([
      "pe", "--positions", "16", "--dimensions", "32", "--format", "ansi", "--color", "mono",
    ])
    #expect(ansi.status == 0 && ansi.output.contains("sinusoidal: 16 positions × 32 dimensions"))
    let json = try runBinary(["pe", "--model", "induction", "--format", "json"])
    #expect(json.status == 0 && json.output.contains("\"name\":\"decoder.embed_positions.weight (learned)\""))
    let csv = try runBinary(["pe", "--positions", "4", "--dimensions", "2", "--format", "csv"])
    #expect(csv.output.split(separator: "\n").count == 1 + 4 * 2 + 4 * 4)
    let svg = try runBinary(["pe", "--model", "en-it", "--format", "svg"])
    #expect(svg.status == 0 && XMLParser(data: Data(svg.output.utf8)).parse())
    let bad = try runBinary(["pe", "--dimensions", "7"])
    #expect(bad.status != 0 && bad.errors.contains("--dimensions"))
  }

  @Test func attentionAsSVGIsXML() throws {
    let run = try runBinary(["attention", "--format", "svg", "--color", "24bit"])
    #expect(run.status == 0 && run.output.hasPrefix("<?xml"))
    #expect(XMLParser(data: Data(run.output.utf8)).parse())
  }
}
