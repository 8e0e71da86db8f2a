// A crash ends at once (RELIABILITY.md, class 9): with Swift's backtracer enabled and interactive,
// the real binary still prints one line and dies by its signal straight away, terminal restored;
// ATTNSCOPE_BACKTRACE=1 brings the backtracer back.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct CrashExitTests {
  /// With Swift's backtracer on and interactive (the worst case: on a terminal it waits up to 30 s
  /// for a key), a crash still ends at once with our one line, the terminal restored.
  @Test(arguments: ["fatal", "segv", "abort"])
  func crashEndsAtOnceWithOneLine(kind: String) throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(
      command: [TmuxSession.binaryPath()], width: 100, height: 30,
      environment: ["ATTNSCOPE_DEBUG_CRASH": kind, "SWIFT_BACKTRACE": "enable=yes,interactive=yes"])
    try tmux.waitFor("attnscope: crashed (SIG", timeout: 30)
    let crashed = Date()
    let status = try tmux.waitForExit(timeout: 10)
    print(
      "crash (\(kind)): exited \(String(format: "%.2f", Date().timeIntervalSince(crashed))) s after its line")
    #expect(status > 128, "killed by its signal: \(status)")
    #expect(tmux.display("#{alternate_on} #{cursor_flag}") == "0 1")
    #expect(!tmux.capture().contains("Press space to interact"), "the backtracer never ran")
  }

  /// ATTNSCOPE_BACKTRACE=1 keeps Swift's backtracer (non-interactive here) for debugging.
  @Test func backtraceOnRequest() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(
      command: [TmuxSession.binaryPath()], width: 200, height: 60,
      environment: [
        "ATTNSCOPE_DEBUG_CRASH": "fatal", "ATTNSCOPE_BACKTRACE": "1",
        "SWIFT_BACKTRACE": "enable=yes,interactive=no",
      ])
    _ = try tmux.waitForExit(timeout: 120)
    let screen = scrollback(tmux)
    #expect(screen.contains("crashed"), "\(screen)")
    #expect(!screen.contains("attnscope: crashed (SIG"), "the backtracer, not the quick exit:\n\(screen)")
  }
}

/// The pane's whole history, wrapped lines joined (a backtrace is longer than the screen).
private func scrollback(_ session: TmuxSession) -> String {
  guard let path = TmuxSession.tmuxPath else { return session.capture() }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = [
    "-u", "-L", session.socketName, "-f", "/dev/null", "capture-pane", "-p", "-J", "-S", "-", "-t",
    session.target,
  ]
  var environment = ProcessInfo.processInfo.environment
  environment["TMUX"] = nil
  process.environment = environment
  let pipe = Pipe()
  process.standardOutput = pipe
  guard (try? process.run()) != nil else { return session.capture() }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return String(decoding: data, as: UTF8.self)
}
