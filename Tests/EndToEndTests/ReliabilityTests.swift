// Reliability of the real binary in tmux (100×30, default model), per RELIABILITY.md "The terminal":
// a crash, Ctrl-Z/fg, a resize below the minimum, a burst of random input and an unknown TERM must
// all leave a usable terminal behind. tmux(1) formats used: alternate_on, cursor_flag, keypad_flag,
// keypad_cursor_flag, mouse_any_flag, mouse_sgr_flag, pane_current_command.
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ReliabilityTests {
  // MARK: - Crashes

  /// The debug build crashes on purpose after its first frame (ATTNSCOPE_DEBUG_CRASH); the signal
  /// guard must put the terminal back before the process dies.
  @Test(arguments: ["fatal", "segv", "abort"])
  func crashRestoresTheTerminal(kind: String) throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(
      command: [TmuxSession.binaryPath()], width: 100, height: 30,
      environment: ["ATTNSCOPE_DEBUG_CRASH": kind, "SWIFT_BACKTRACE": "enable=no"])
    let status = try tmux.waitForExit(timeout: 20)
    // 128 + the signal that killed it. fatalError traps: SIGILL (x86-64 ud2) or SIGTRAP (arm64 brk).
    let expected: Set<Int32> =
      switch kind {
      case "segv": [128 + SIGSEGV, 128 + SIGBUS]
      case "abort": [128 + SIGABRT]
      default: [128 + SIGILL, 128 + SIGTRAP]
      }
    #expect(expected.contains(status), "\(kind): exit status \(status), expected one of \(expected.sorted())")
    expectRestored(tmux)
    if kind == "fatal" {
      // The "Fatal error: ..." line went to the captured stderr; the guard replays it on the normal
      // screen. It may wrap at 100 columns, so look for it in the joined lines too.
      let screen = try tmux.waitFor("deliberate crash", timeout: 5)
      let joined = (try? runTmux(tmux, ["capture-pane", "-p", "-J", "-t", tmux.target])) ?? screen
      #expect(
        joined.contains("deliberate crash to test the terminal guard"), "the message is readable:\n\(joined)")
    }
  }

  // MARK: - Ctrl-Z, fg

  /// Job control needs a shell: bash in the pane runs the binary, Ctrl-Z stops it with the shell's
  /// terminal back to normal, `fg` repaints and the keys still work, `q` leaves it restored.
  @Test func ctrlZThenFgRepaintsAndKeysStillWork() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    // HISTFILE empty: the shell saves no history in the user's home.
    try tmux.start(
      command: ["bash", "--norc", "--noprofile", "-i"], width: 100, height: 30,
      environment: ["PS1": "relshell$ ", "HISTFILE": ""])
    try tmux.waitFor("relshell$")  // capture-pane drops the prompt's trailing space
    try tmux.sendLiteral(shellQuoted(TmuxSession.binaryPath()))
    try tmux.sendKeys("Enter")
    try tmux.waitFor("│ encoder self │ layer 1 head 1", timeout: 20)
    #expect(tmux.display("#{pane_current_command}") == "attnscope")

    try tmux.sendKeys("C-z")
    let stopped = try tmux.waitFor("Stopped")
    #expect(!stopped.contains("│ encoder self │"), "the shell's screen is shown while stopped:\n\(stopped)")
    try waitUntil("the shell has the terminal again") { tmux.display("#{pane_current_command}") == "bash" }
    #expect(tmux.display("#{alternate_on} #{cursor_flag}") == "0 1", "while stopped")
    #expect(tmux.display(Self.modeFlags) == "0 0 0 0", "keypad/mouse modes while stopped")

    try tmux.sendLiteral("fg")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("│ encoder self │ layer 1 head 1", timeout: 10)
    #expect(tmux.display("#{alternate_on}") == "1", "fg goes back to the full screen")
    try tmux.sendKeys("]")
    try tmux.waitFor("head 2/4")
    try tmux.sendKeys("q")
    try waitUntil("the program exits and the shell takes the terminal back") {
      tmux.display("#{pane_current_command}") == "bash" && tmux.display("#{alternate_on}") == "0"
    }
    #expect(tmux.display("#{alternate_on} #{cursor_flag}") == "0 1")
    #expect(tmux.display(Self.modeFlags) == "0 0 0 0", "keypad/mouse modes after q")

    // The status of the job and the tty modes it left (bash saves the modes a job that exits
    // normally leaves, and runs the next command with them), written to a file, not the screen.
    let file = tmux.directory.appendingPathComponent("shell-stty")
    let path = shellQuoted(file.path)
    try tmux.sendLiteral("echo \"exit=$?\"; stty -a > \(path).tmp; mv \(path).tmp \(path)")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("exit=0")
    var stty = ""
    try waitUntil("stty -a written by the shell") {
      stty = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
      return !stty.isEmpty
    }
    stty = " " + stty.split(whereSeparator: \.isWhitespace).joined(separator: " ") + " "
    for flag in [" icanon ", " echo ", " onlcr ", " isig "] {
      #expect(stty.contains(flag), "stty lacks\(flag): \(stty)")
    }
    try tmux.sendLiteral("exit")
    try tmux.sendKeys("Enter")
    #expect(try tmux.waitForExit() == 0, "the shell exits normally")
  }

  // MARK: - Resize

  @Test func resizeBelowTheMinimumAndBack() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath()], width: 100, height: 30)
    try tmux.waitFor("│ encoder self │ layer 1 head 1", timeout: 20)
    try tmux.resize(width: 20, height: 5)
    let small = try tmux.waitFor("(need 40×12)")
    let rows = small.split(separator: "\n", omittingEmptySubsequences: false)
    // At 20 columns the message takes two lines: "terminal too small" then "(need 40×12)".
    let tooSmallRow = rows.firstIndex { $0.contains("terminal too small") }
    let needRow = rows.firstIndex { $0.contains("(need 40×12)") }
    #expect(tooSmallRow != nil && needRow == tooSmallRow.map { $0 + 1 }, "two lines:\n\(small)")
    #expect(!small.contains("│"), "nothing of the full layout is drawn:\n\(small)")
    #expect(tmux.exitStatus == nil)
    try tmux.resize(width: 100, height: 30)
    let back = try tmux.waitFor("│ encoder self │ layer 1 head 1")
    #expect(!back.contains("too small"), "repainted at the full size:\n\(back)")
    #expect(back.contains("layer 1/2  head 1/4"))
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    expectRestored(tmux)
  }

  // MARK: - Random input

  /// 200 seeded key and mouse events (never q, Ctrl-C or Ctrl-Z) in four chunks; each chunk is one
  /// tmux invocation, so the program reads them as fast as the terminal delivers them.
  @Test func burstOfRandomKeysAndMouseEvents() throws {
    let seed: UInt64 = 0x5EED_A77E_5C0B
    let events = randomEvents(count: 200, seed: seed)
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath()], width: 100, height: 30)
    try tmux.waitFor("│ encoder self │ layer 1 head 1", timeout: 20)
    let chunkSize = 50
    for start in stride(from: 0, to: events.count, by: chunkSize) {
      let chunk = Array(events[start..<min(start + chunkSize, events.count)])
      try runTmux(tmux, sendCommands(chunk, target: tmux.target))
      Thread.sleep(forTimeInterval: 0.05)
    }
    let replay =
      "seed \(String(seed, radix: 16)), events: \(events.map(\.description).joined(separator: " "))"
    // Still running and still drawing: the status line is the last row.
    var screen = ""
    do {
      try waitUntil("the status line after the burst", timeout: 10) {
        screen = tmux.capture()
        let last = screen.split(separator: "\n", omittingEmptySubsequences: false).dropLast().last ?? ""
        return last.contains("│") && last.contains("head ")
      }
    } catch {
      Issue.record("\(error)\nscreen:\n\(screen)\n\(replay)")
    }
    #expect(tmux.exitStatus == nil, "still running after the burst; \(replay)")
    #expect(tmux.display("#{alternate_on}") == "1")
    try tmux.sendKeys("Escape")  // closes the help if the burst opened it
    try waitUntil("the help is closed") { !tmux.capture().contains("key closes") }
    Thread.sleep(forTimeInterval: 0.1)  // past the 25 ms escape delay: q is not read as Alt-q
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0, "q quits after the burst; \(replay)")
    expectRestored(tmux)
  }

  // MARK: - Unknown TERM

  @Test func unknownTermGivesOneLineAndNeverTakesTheTerminal() throws {
    let line = try unknownTermOutput()
    #expect(line.hasPrefix("attnscope: "), "\(line)")
    #expect(
      line.contains("unknown terminal type \"nonexistent-terminal-xyz\""), "names the terminal: \(line)")
  }

  /// TerminalError messages already start with "attnscope: " and exitWithMessage adds it again.
  @Test
  func unknownTermMessageHasOnePrefix() throws {
    let line = try unknownTermOutput()
    #expect(line.hasPrefix("attnscope: unknown terminal type \"nonexistent-terminal-xyz\""), "\(line)")
  }

  /// Runs the binary with an unknown TERM, checks it exits 1 with exactly one line of output and the
  /// terminal untouched, and returns that line.
  func unknownTermOutput(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(
      command: [TmuxSession.binaryPath()], width: 100, height: 30,
      environment: ["TERM": "nonexistent-terminal-xyz"])
    #expect(try tmux.waitForExit(timeout: 20) == 1, sourceLocation: sourceLocation)
    try tmux.waitFor("nonexistent-terminal-xyz")
    // One line of output, but over 100 characters, so the screen wraps it: -J joins it again.
    let joined = try runTmux(tmux, ["capture-pane", "-p", "-J", "-t", tmux.target])
    let lines = joined.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    #expect(lines.count == 1, "exactly one line of output:\n\(joined)", sourceLocation: sourceLocation)
    expectRestored(tmux, sourceLocation: sourceLocation)
    return lines.first ?? ""
  }

  // MARK: - Helpers

  /// Keypad (smkx) and mouse reporting modes, all "0" once the program has given the terminal back.
  static let modeFlags = "#{keypad_flag} #{keypad_cursor_flag} #{mouse_any_flag} #{mouse_sgr_flag}"

  /// As ViewerTests.expectRestored, plus keypad and mouse modes off.
  func expectRestored(_ tmux: TmuxSession, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(tmux.display("#{alternate_on} #{cursor_flag}") == "0 1", sourceLocation: sourceLocation)
    #expect(tmux.display(Self.modeFlags) == "0 0 0 0", "keypad/mouse modes", sourceLocation: sourceLocation)
    let stty = tmux.sttySettings()
    for flag in [" icanon ", " echo ", " onlcr ", " isig "] {
      #expect(stty.contains(flag), "stty lacks\(flag): \(stty)", sourceLocation: sourceLocation)
    }
  }

  func waitUntil(_ what: String, timeout: Double = 10, _ condition: () -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
      guard Date() < deadline else { throw TmuxError(description: "timed out after \(timeout) s: \(what)") }
      Thread.sleep(forTimeInterval: 0.05)
    }
  }

  func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

// MARK: - Random events

private enum BurstEvent: CustomStringConvertible {
  /// A tmux key name.
  case key(String)
  /// Bytes typed as they are (an SGR mouse report).
  case literal(String)

  var description: String {
    switch self {
    case .key(let name): name
    case .literal(let text): text.replacingOccurrences(of: "\u{1B}", with: "\\e")
    }
  }
}

/// No q, Ctrl-C or Ctrl-Z (they quit or stop), nor o or i (they open prompts that load files).
private let burstKeys = [
  "Up", "Down", "Left", "Right", "Home", "End", "PPage", "NPage", "Tab", "BTab", "Enter", "Escape",
  "BSpace", "DC", "F1", "F5", "F12", "]", "[", ">", "<", ".", ",", "e", "d", "x", "h", "j", "k", "l", "?",
]

/// SplitMix64: the same events for the same seed on every platform and Swift version.
private struct SplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

private func randomEvents(count: Int, seed: UInt64) -> [BurstEvent] {
  var random = SplitMix64(state: seed)
  return (0..<count).map { _ in
    guard random.below(4) == 0 else { return .key(burstKeys[random.below(burstKeys.count)]) }
    let x = 1 + random.below(100)
    let y = 1 + random.below(30)
    switch random.below(4) {
    case 0: return .literal("\u{1B}[<0;\(x);\(y)M")
    case 1: return .literal("\u{1B}[<0;\(x);\(y)m")
    case 2: return .literal("\u{1B}[<64;\(x);\(y)M")
    default: return .literal("\u{1B}[<65;\(x);\(y)M")
    }
  }
}

/// One tmux command list for the chunk, in order: consecutive keys share a send-keys.
private func sendCommands(_ events: [BurstEvent], target: String) -> [String] {
  var commands: [[String]] = []
  for event in events {
    switch event {
    case .key(let name):
      if let last = commands.last, !last.contains("-l") {
        commands[commands.count - 1].append(name)
      } else {
        commands.append(["send-keys", "-t", target, name])
      }
    case .literal(let text): commands.append(["send-keys", "-t", target, "-l", "--", text])
    }
  }
  return Array(commands.joined(separator: [";"]))
}

// MARK: - tmux with any arguments

/// Runs tmux on the session's server with arbitrary arguments (TmuxSession.sendKeys is variadic and
/// capture has no -J) and returns its standard output; throws if tmux fails. Clients only: the
/// server is started by TmuxSession.start, so plain posix_spawn + waitpid is enough here.
@discardableResult
private func runTmux(_ session: TmuxSession, _ arguments: [String]) throws -> String {
  guard let tmuxPath = TmuxSession.tmuxPath else { throw TmuxError(description: "tmux is not on PATH") }
  var environment = ProcessInfo.processInfo.environment
  for name in ["TMUX", "TMUX_PANE", "LC_ALL", "LC_CTYPE"] { environment[name] = nil }
  environment["LANG"] = "C.UTF-8"
  let output = FileManager.default.temporaryDirectory.appendingPathComponent(
    "\(session.socketName)-\(UUID().uuidString).out"
  ).path
  defer { try? FileManager.default.removeItem(atPath: output) }
  #if canImport(Glibc)
    var actions = posix_spawn_file_actions_t()
  #else
    var actions: posix_spawn_file_actions_t? = nil
  #endif
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
  let argv =
    ([tmuxPath, "-u", "-L", session.socketName, "-f", "/dev/null"] + arguments).map { strdup($0) } + [nil]
  let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
  defer { (argv + envp).forEach { free($0) } }
  var pid = pid_t()
  let spawned = posix_spawn(&pid, tmuxPath, &actions, nil, argv, envp)
  guard spawned == 0 else { throw TmuxError(description: "could not start tmux: error \(spawned)") }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) == -1 {
    guard errno == EINTR else { throw TmuxError(description: "waitpid failed: \(errno)") }
  }
  guard status == 0 else { throw TmuxError(description: "tmux \(arguments.first ?? "") failed: \(status)") }
  return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
}
