// The real binary in tmux at 100×30: open the default model, switch heads, layers and kinds, quit
// every way a user can, and check the terminal is restored each time.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ViewerTests {
  /// Alternate screen left, cursor visible, the line discipline back to cooked mode with echo.
  func expectRestored(_ tmux: TmuxSession, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(tmux.display("#{alternate_on} #{cursor_flag}") == "0 1", sourceLocation: sourceLocation)
    let stty = tmux.sttySettings()
    for flag in [" icanon ", " echo ", " onlcr ", " isig "] {
      #expect(stty.contains(flag), "stty lacks\(flag): \(stty)", sourceLocation: sourceLocation)
    }
  }

  func startViewer(_ tmux: TmuxSession, arguments: [String] = [], width: Int = 100, height: Int = 30)
    throws
  {
    try tmux.start(command: [TmuxSession.binaryPath()] + arguments, width: width, height: height)
  }

  @Test func switchesHeadsLayersAndKindsThenQuits() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try startViewer(tmux)
    // The status line is the last row drawn: once it is there, the whole first frame is.
    let first = try tmux.waitFor("│ encoder self │ layer 1 head 1")
    #expect(first.contains("en-it"))
    #expect(
      first.contains("English→Italian translator (trained by attnscope)"), "the screen says what it shows")
    #expect(first.contains("layer 1/2  head 1/4"))
    #expect(tmux.capture(escapes: true).contains("48;5;"), "cells are colour-shaded")
    try tmux.sendKeys("]")
    try tmux.waitFor("head 2/4")
    try tmux.sendKeys(">")
    try tmux.waitFor("layer 2/2  head 2/4")
    try tmux.sendKeys("Tab")  // the decoder has one layer: the layer is clamped
    try tmux.waitFor("layer 1/1  head 2/4")
    let masked = try tmux.waitFor("│ decoder masked │")
    #expect(masked.contains("<s>") && masked.contains("molto"))
    try tmux.sendKeys("x")
    try tmux.waitFor("│ decoder cross │")
    try tmux.sendKeys("Down", "Right")
    try tmux.waitFor("'ti' → 'love'")
    try tmux.sendKeys("?")
    try tmux.waitFor("key closes")
    try tmux.sendKeys("Escape")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    expectRestored(tmux)
  }

  @Test(arguments: ["C-c", "SIGTERM", "SIGHUP"])
  func otherWaysOutRestoreTheTerminal(way: String) throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try startViewer(tmux)
    try tmux.waitFor("head 1/4")
    switch way {
    case "SIGTERM": try tmux.signal(SIGTERM)
    case "SIGHUP": try tmux.signal(SIGHUP)
    default: try tmux.sendKeys(way)
    }
    _ = try tmux.waitForExit()
    expectRestored(tmux)
  }

  @Test func tooSmallThenResized() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try startViewer(tmux, width: 30, height: 8)
    try tmux.waitFor("terminal too small")
    try tmux.resize(width: 100, height: 30)
    try tmux.waitFor("head 1/4")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    expectRestored(tmux)
  }

  @Test func badModelGivesOneLineAndNeverTakesTheTerminal() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try startViewer(tmux, arguments: ["--model", "/nonexistent/model"])
    #expect(try tmux.waitForExit() == 1)
    let screen = try tmux.waitFor("attnscope: unknown model '/nonexistent/model'")
    #expect(screen.split(separator: "\n").filter { $0.contains("attnscope:") }.count == 1)
    expectRestored(tmux)
  }
}

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct TrainingWatchTests {
  /// `train --watch` shows attention while training; `q` stops, saves, and restores the terminal.
  @Test func watchShowsTrainingAndQuitSaves() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent(
      "attnscope-watch-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(
      command: [
        TmuxSession.binaryPath(), "train", "reverse", "--steps", "5000", "--watch", "--eval-examples", "5",
        "--out", out.path,
      ], width: 100, height: 30)
    let screen = try tmux.waitFor("training reverse · step", timeout: 30)
    #expect(screen.contains("encoder self"))
    try tmux.sendKeys("x")
    try tmux.waitFor("│ decoder cross │", timeout: 10)
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit(timeout: 60) == 0)
    #expect(tmux.display("#{alternate_on} #{cursor_flag}") == "0 1")
    #expect(tmux.capture().contains("checkpoint saved in"))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("model.safetensors").path))
  }
}

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct OpenModelTests {
  /// A broken model opened from inside the viewer is refused on one line; the previous model stays.
  @Test func brokenModelKeepsThePreviousOneThenAGoodOneLoads() throws {
    let broken = FileManager.default.temporaryDirectory.appendingPathComponent(
      "attnscope-broken-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: broken) }
    try Data("{\"architecture\": ".utf8).write(to: broken.appendingPathComponent("config.json"))
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath()], width: 120, height: 30)
    try tmux.waitFor("│ encoder self │")
    try tmux.sendKeys("o")
    try tmux.waitFor("open model (name or folder):")
    try tmux.sendLiteral(broken.path)
    try tmux.sendKeys("Enter")
    let refused = try tmux.waitFor("could not open")
    #expect(refused.contains("config.json: not valid JSON"))
    #expect(refused.contains("English→Italian"), "the previous model is still shown")
    #expect(refused.contains("│ encoder self │"))
    try tmux.sendKeys("i")
    try tmux.sendLiteral("the small cats see a red dog")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("showing the model's own greedy output")
    try tmux.sendKeys("x")
    try tmux.waitFor("gatti")  // the model's own translation of the new input, down the side
    try tmux.sendKeys("o")
    try tmux.sendLiteral("reverse")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("reverses a string of letters")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
  }
}

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct TrainingInterruptTests {
  /// On a terminal `train` draws a progress bar; Ctrl-C stops between steps and saves a checkpoint.
  @Test func ctrlCSavesACheckpointAndSaysWhere() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent(
      "attnscope-ctrlc-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(
      command: [
        TmuxSession.binaryPath(), "train", "reverse", "--steps", "100000", "--eval-examples", "5",
        "--out", out.path,
      ], width: 200, height: 20)
    let progress = try tmux.waitFor("step 20/100000", timeout: 30)
    #expect(progress.contains("loss") && progress.contains("tok/s") && progress.contains("ETA"))
    #expect(progress.contains("█") || progress.contains("░"), "a progress bar on a terminal")
    try tmux.sendKeys("C-c")
    #expect(try tmux.waitForExit(timeout: 60) == 0)
    #expect(tmux.capture().contains("checkpoint saved in \(out.path)"))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("README.md").path))
  }
}
