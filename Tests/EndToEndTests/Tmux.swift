// Drives the real attnscope binary in a private tmux server: keys in, screen text and tty state out.
// tmux(1) 3.x: -L (own socket), new-session -d -x -y, send-keys [-l], capture-pane -p [-e],
// display-message -p with formats (#{alternate_on}, #{cursor_flag}, #{pane_dead_status}), kill-server.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct TmuxError: Error, CustomStringConvertible {
  let description: String
}

/// One tmux server on its own socket (tests never touch the user's tmux, or each other) with one
/// pane, TERM=xterm-256color, running the command under test.
///
/// The command runs under a small sh wrapper. When the command exits, the wrapper records its exit
/// status and `stty -a` of the pane's terminal in a private directory, then sleeps. Keeping the pane
/// alive matters: when a pane dies, tmux prints "Pane is dead" (scrolling the screen) and hides the
/// cursor, which would mask what the program left behind. So `exitStatus` is the program's status
/// (128 + n if signal n killed it), while `paneIsDead`/`paneDeadStatus` describe the wrapper, which
/// only dies if it is killed (remain-on-exit keeps its last screen readable then).
///
///     let tmux = TmuxSession()
///     defer { tmux.kill() }
///     try tmux.start(command: [TmuxSession.binaryPath()], width: 80, height: 24)
///     try tmux.waitFor("head 1/4"); try tmux.sendKeys("q")
///     #expect(try tmux.waitForExit() == 0 && tmux.sttySettings().contains(" icanon "))
///     #expect(tmux.display("#{alternate_on} #{cursor_flag}") == "0 1")
struct TmuxSession {
  let socketName: String
  /// Where the wrapper writes `pid`, `status` and `stty`.
  let directory: URL
  let target = "e2e:0.0"

  init() {
    let unique = "attnscope-e2e-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
    socketName = unique
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(unique)
  }

  /// tmux is on PATH (tests that need it are skipped otherwise).
  static var isAvailable: Bool { tmuxPath != nil }

  static let tmuxPath: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/tmux" }
      .first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  /// The built `attnscope` executable: ATTNSCOPE_BINARY if set, else the first `attnscope` file in
  /// the test binary's directory or its parents (SwiftPM puts both in `.build/<triple>/debug`).
  static func binaryPath() -> String {
    if let override = ProcessInfo.processInfo.environment["ATTNSCOPE_BINARY"] { return override }
    // On macOS the tests run inside a helper, so also start from the .xctest bundles.
    let starts =
      [URL(fileURLWithPath: CommandLine.arguments[0]), Bundle.main.bundleURL]
      + Bundle.allBundles.map(\.bundleURL).filter { $0.pathExtension == "xctest" }
    for start in starts {
      var directory = start.resolvingSymlinksInPath().deletingLastPathComponent()
      for _ in 0..<6 {
        for name in ["attnscope", "debug/attnscope"] {
          let candidate = directory.appendingPathComponent(name)
          var isDirectory: ObjCBool = false
          if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
            !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: candidate.path)
          {
            return candidate.path
          }
        }
        directory = directory.deletingLastPathComponent()
      }
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("attnscope").path
  }

  /// Starts the server and the pane. `environment` is applied last (so it may override TERM, e.g.
  /// to test an unknown terminal); before it, COLORTERM, NO_COLOR and LC_ALL are removed and
  /// LANG=C.UTF-8 and XDG_STATE_HOME (in the session directory) are set, so the test runner's own
  /// terminal and state do not leak into the results, nor the results into them.
  func start(
    command: [String], width: Int = 80, height: Int = 24, environment: [String: String] = [:]
  ) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let script = """
      d=$1; shift
      trap : INT
      sh -c 'echo $$ > "$0"; exec "$@"' "$d/pid" "$@"
      status=$?
      stty -a > "$d/stty.tmp" 2>&1; mv "$d/stty.tmp" "$d/stty"
      echo $status > "$d/status.tmp"; mv "$d/status.tmp" "$d/status"
      exec sleep 86400
      """
    // The open dialog's history goes to the session's own directory, never the user's state.
    let state = ["XDG_STATE_HOME": directory.appendingPathComponent("state").path]
    let assignments = state.merging(environment) { $1 }.sorted { $0.key < $1.key }.map {
      "\($0.key)=\($0.value)"
    }
    let paneCommand =
      ["env", "-u", "COLORTERM", "-u", "NO_COLOR", "-u", "LC_ALL", "LANG=C.UTF-8"] + assignments
      + ["sh", "-c", script, "attnscope-e2e", directory.path] + command
    try tmux(
      [
        "start-server", ";", "set", "-g", "default-terminal", "xterm-256color", ";",
        "set", "-g", "remain-on-exit", "on", ";", "set", "-g", "status", "off", ";",
        "new-session", "-d", "-s", "e2e", "-x", "\(width)", "-y", "\(height)", "--",
      ] + paneCommand)
  }

  /// tmux key names: "q", "]", "Right", "C-c", "Enter", "Escape", "PPage", "F1".
  func sendKeys(_ keys: String...) throws {
    try tmux(["send-keys", "-t", target] + keys)
  }

  /// Bytes typed as they are, e.g. an SGR mouse report "\u{1B}[<0;5;3M".
  func sendLiteral(_ text: String) throws {
    try tmux(["send-keys", "-t", target, "-l", "--", text])
  }

  /// The visible screen, one line per row; with `escapes`, SGR colour/attribute sequences too.
  func capture(escapes: Bool = false) -> String {
    (try? tmux(["capture-pane", "-p", "-t", target] + (escapes ? ["-e"] : []))) ?? ""
  }

  /// Polls the screen until it contains `text`; the error shows the last screen.
  @discardableResult
  func waitFor(_ text: String, timeout: Double = 10) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    var screen = capture()
    while !screen.contains(text) {
      guard Date() < deadline else {
        throw TmuxError(
          description: "timed out after \(timeout) s waiting for \"\(text)\"; screen:\n\(screen)")
      }
      Thread.sleep(forTimeInterval: 0.05)
      screen = capture()
    }
    return screen
  }

  /// A tmux format for the pane, e.g. "#{alternate_on} #{cursor_flag}" → "0 1".
  func display(_ format: String) -> String {
    let output = (try? tmux(["display-message", "-p", "-t", target, format])) ?? ""
    return output.trimmingCharacters(in: .newlines)
  }

  func resize(width: Int, height: Int) throws {
    try tmux(["resize-window", "-t", "e2e", "-x", "\(width)", "-y", "\(height)"])
  }

  /// The wrapper's pane has died (it was killed); see the type's comment.
  var paneIsDead: Bool { display("#{pane_dead}") == "1" }
  var paneDeadStatus: Int32? { Int32(display("#{pane_dead_status}")) }

  /// The program's pid, once the wrapper has started it.
  var programPID: pid_t? { read("pid").flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }

  /// Sends a signal to the program itself (not the wrapper), e.g. SIGTERM or SIGHUP.
  func signal(_ signal: Int32, timeout: Double = 5) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while programPID == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    guard let pid = programPID, sendSignal(pid, signal) == 0 else {
      throw TmuxError(description: "could not send signal \(signal) to the program")
    }
  }

  /// The program's exit status, nil while it runs.
  var exitStatus: Int32? {
    read("status").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
  }

  func waitForExit(timeout: Double = 10) throws -> Int32 {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let status = exitStatus { return status }
      Thread.sleep(forTimeInterval: 0.05)
    }
    throw TmuxError(description: "the program did not exit within \(timeout) s; screen:\n\(capture())")
  }

  /// `stty -a` of the pane's terminal as the program left it, run by the wrapper right after the
  /// program exits; "" if it has not exited within `timeout`. Returned on one line, single-spaced,
  /// with a space at each end, so `contains(" isig ")` tests a flag wherever stty wrapped it
  /// (and `contains(" -icanon ")` its negation).
  func sttySettings(timeout: Double = 10) -> String {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let settings = read("stty") {
        return " " + settings.split(whereSeparator: \.isWhitespace).joined(separator: " ") + " "
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return ""
  }

  /// Ends the server (its panes get SIGHUP), kills the program if it ignored that, removes the
  /// files. Safe to call more than once and if `start` failed; call it from `defer`.
  func kill() {
    let pid = programPID
    _ = try? tmux(["kill-server"])
    if let pid, exitStatus == nil {
      let deadline = Date().addingTimeInterval(2)
      while sendSignal(pid, 0) == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
      if sendSignal(pid, 0) == 0 { _ = sendSignal(pid, SIGKILL) }
    }
    try? FileManager.default.removeItem(at: directory)
    // kill-server can leave the socket file behind; tmux(1): $TMUX_TMPDIR/tmux-UID/name.
    let socketDirectory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
    try? FileManager.default.removeItem(atPath: "\(socketDirectory)/tmux-\(getuid())/\(socketName)")
  }

  /// kill(2); the method `kill()` hides the C function's name inside this type.
  private func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 {
    #if canImport(Glibc)
      Glibc.kill(pid, signal)
    #else
      Darwin.kill(pid, signal)
    #endif
  }

  private func read(_ name: String) -> String? {
    try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
  }

  /// Runs tmux on this session's socket and returns its standard output.
  @discardableResult
  private func tmux(_ arguments: [String]) throws -> String {
    guard let tmuxPath = Self.tmuxPath else { throw TmuxError(description: "tmux is not on PATH") }
    // -u and a UTF-8 LANG: tmux refuses or mangles UTF-8 otherwise; -f /dev/null: no user config.
    var environment = ProcessInfo.processInfo.environment
    for name in ["TMUX", "TMUX_PANE", "LC_ALL", "LC_CTYPE"] { environment[name] = nil }
    environment["LANG"] = "C.UTF-8"
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "\(socketName)-\(UUID().uuidString)")
    defer {
      try? FileManager.default.removeItem(atPath: scratch.path + ".out")
      try? FileManager.default.removeItem(atPath: scratch.path + ".err")
    }
    let status = try Self.spawnAndWait(
      [tmuxPath, "-u", "-L", socketName, "-f", "/dev/null"] + arguments,
      environment: environment.map { "\($0.key)=\($0.value)" },
      output: scratch.path + ".out", errors: scratch.path + ".err")
    let output = (try? String(contentsOfFile: scratch.path + ".out", encoding: .utf8)) ?? ""
    guard status == 0 else {
      let message = (try? String(contentsOfFile: scratch.path + ".err", encoding: .utf8)) ?? ""
      throw TmuxError(description: "tmux \(arguments.first ?? "") failed (\(status)): \(message)")
    }
    return output
  }

  /// posix_spawn + waitpid, with only stdin/stdout/stderr inherited. Not Foundation's Process:
  /// on Linux it learns that a child ended from a socket the child inherits, and the tmux server
  /// that start-server forks keeps that socket open, so waitUntilExit would never return.
  private static func spawnAndWait(
    _ arguments: [String], environment: [String], output: String, errors: String
  ) throws -> Int32 {
    #if canImport(Glibc)
      var actions = posix_spawn_file_actions_t()
      var attributes = posix_spawnattr_t()
    #else
      var actions: posix_spawn_file_actions_t? = nil
      var attributes: posix_spawnattr_t? = nil
    #endif
    posix_spawn_file_actions_init(&actions)
    posix_spawnattr_init(&attributes)
    defer {
      posix_spawn_file_actions_destroy(&actions)
      posix_spawnattr_destroy(&attributes)
    }
    // The test runner's threads block SIGTERM among others, and a spawned child inherits the mask;
    // tmux's kill-server works by the server sending itself SIGTERM, so start with an empty mask.
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    #if canImport(Glibc)
      // Close every other descriptor in the child (the server must not hold the test's pipes or
      // sockets). glibc declares this only under _GNU_SOURCE, so it is looked up (glibc >= 2.34).
      typealias AddCloseFrom =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
      if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
      }
    #else
      posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_CLOEXEC_DEFAULT))
    #endif
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
    guard spawned == 0 else { throw TmuxError(description: "could not start tmux: error \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 {
      guard errno == EINTR else { throw TmuxError(description: "waitpid failed: \(errno)") }
    }
    // WIFEXITED / WEXITSTATUS, which Swift does not import (they are macros).
    return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  }
}
