// `--keys … --snapshot FILE` against the real TUI in tmux (the headless screen is the screen the
// same keys give in a terminal), `--record FILE.cast` replayed through CastReplay to the screen tmux
// shows, and the bad inputs of both: one line each, exit status 1.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct RecordingTests {
  static func plainLines(_ text: String) -> [String] {
    var lines = text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
      .components(separatedBy: "\n").map {
        $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
      }
    while lines.last == "" { lines.removeLast() }
    return lines
  }

  /// Polls tmux until its screen is `expected` (the TUI redraws as keys arrive).
  static func waitForScreen(_ tmux: TmuxSession, _ expected: [String], timeout: Double = 15) -> [String] {
    let deadline = Date().addingTimeInterval(timeout)
    var screen = plainLines(tmux.capture())
    while screen != expected, Date() < deadline {
      Thread.sleep(forTimeInterval: 0.1)
      screen = plainLines(tmux.capture())
    }
    return screen
  }

  static func diff(_ a: [String], _ b: [String]) -> String {
    (0..<max(a.count, b.count)).compactMap { i in
      let (x, y) = (i < a.count ? a[i] : "∅", i < b.count ? b[i] : "∅")
      return x == y ? nil : "row \(i):\n  \(x)\n  \(y)"
    }.joined(separator: "\n")
  }

  @Test func headlessSnapshotIsWhatTheTUIShows() throws {
    let directory = try InstallTests.temporaryDirectory("snap")
    defer { try? FileManager.default.removeItem(at: directory) }
    let keys = ["]", ">", "Tab", "j", "l", "5"]
    let script = "] > <tab> j l 5"
    let ans = directory.appendingPathComponent("screen.ans").path
    let run = try runBinary(["view", "--keys", script, "--snapshot", ans, "--size", "100x30"])
    #expect(run.status == 0, "\(run.errors)")
    let headless = Self.plainLines(try String(contentsOfFile: ans, encoding: .utf8))
    #expect(headless.contains { $0.contains("model view") })

    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath()], width: 100, height: 30)
    try tmux.waitFor("layer 1 head 1")
    for key in keys { try tmux.sendKeys(key) }
    let shown = Self.waitForScreen(tmux, headless)
    #expect(shown == headless, "headless and tmux differ:\n\(Self.diff(headless, shown))")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
  }

  @Test func snapshotsInEveryFormat() throws {
    let directory = try InstallTests.temporaryDirectory("formats")
    defer { try? FileManager.default.removeItem(at: directory) }
    for (name, magic) in [("s.png", "\u{89}PNG"), ("s.svg", "<?xml"), ("s.ans", "\u{1B}[")] {
      let path = directory.appendingPathComponent(name).path
      let run = try runBinary(["view", "--model", "reverse", "--keys", "2 n n", "--snapshot", path])
      #expect(run.status == 0, "\(run.errors)")
      let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
      #expect(
        String(decoding: bytes.prefix(magic.utf8.count), as: UTF8.self) == magic
          || bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name)")
    }
    // Typed text reaches a prompt: `o` then a name then Enter opens that model.
    let opened = directory.appendingPathComponent("o.ans").path
    let run = try runBinary([
      "view", "--keys", "o induction <enter>", "--snapshot", opened, "--size", "120x40",
    ])
    #expect(run.status == 0, "\(run.errors)")
    #expect(try String(contentsOfFile: opened, encoding: .utf8).contains("induction"))
  }

  @Test func badInputIsOneLine() throws {
    let directory = try InstallTests.temporaryDirectory("bad")
    defer { try? FileManager.default.removeItem(at: directory) }
    let cases: [([String], String)] = [
      (
        ["view", "--keys", "j <nope> q", "--snapshot", directory.path + "/a.ans"],
        "--keys: unknown key name '<nope>'"
      ),
      (["view", "--keys", "j enter", "--snapshot", directory.path + "/a.ans"], "write <enter> for the key"),
      (
        ["view", "--snapshot", directory.path + "/a.jpg"], "unknown extension '.jpg'; use .ans, .svg or .png"
      ),
      (
        ["view", "--snapshot", directory.path + "/missing/a.png"],
        "could not write \(directory.path)/missing/a.png"
      ),
      (["view", "--snapshot", "/proc/version.svg"], "could not write /proc/version.svg"),
      (["view", "--keys", "j"], "--keys needs --snapshot"),
      (
        ["view", "--snapshot", directory.path + "/a.ans", "--size", "10x10"],
        "--size 10x10: expected WIDTHxHEIGHT"
      ),
      (["view", "--record", directory.path], "is a directory"),
      (["view", "--record", directory.path + "/missing/x.cast"], "No such file or directory"),
    ]
    for (arguments, message) in cases {
      let run = try runBinary(arguments)
      #expect(run.status == 1, "\(arguments)")
      #expect(
        run.errors.hasPrefix("attnscope: ") && run.errors.contains(message), "\(arguments): \(run.errors)")
      #expect(run.errors.split(separator: "\n").count == 1, "\(arguments): \(run.errors)")
      #expect(run.output.isEmpty)
    }
  }

  @Test func recordingReplaysToTheScreen() throws {
    let directory = try InstallTests.temporaryDirectory("cast")
    defer { try? FileManager.default.removeItem(at: directory) }
    let cast = directory.appendingPathComponent("session.cast")
    let tmux = TmuxSession()
    defer { tmux.kill() }
    let started = Date().timeIntervalSince1970
    try tmux.start(command: [TmuxSession.binaryPath(), "--record", cast.path], width: 100, height: 30)
    try tmux.waitFor("layer 1 head 1")
    try tmux.sendKeys("]")
    try tmux.waitFor("head 2/4")
    try tmux.resize(width: 90, height: 26)
    try tmux.sendKeys("2")
    try tmux.waitFor("step")
    Thread.sleep(forTimeInterval: 0.5)  // the decode screen settles (its run arrives)
    let final = Self.plainLines(tmux.capture())
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)

    let recording = try Asciicast(contentsOf: cast)
    #expect(recording.header["version"] as? Int == 2)
    #expect(recording.header["width"] as? Int == 100 && recording.header["height"] as? Int == 30)
    let timestamp = Double(recording.header["timestamp"] as? Int ?? 0)
    #expect(abs(timestamp - started) < 60)
    #expect(zip(recording.events, recording.events.dropFirst()).allSatisfy { $0.time <= $1.time })
    #expect(recording.events.contains { $0.code == "r" && $0.data == "90x26" })
    let replay = try recording.replay()
    #expect(!replay.onAlternate, "the recording ends back on the normal screen")
    var replayed = replay.alternateLines
    while replayed.last == "" { replayed.removeLast() }
    #expect(replayed == final, "replay and tmux differ:\n\(Self.diff(replayed, final))")
  }
}
