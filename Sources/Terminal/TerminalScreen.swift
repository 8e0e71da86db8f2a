// The full-screen ncurses terminal: opening it safely, closing it in every exit path, suspend/resume.
// Follows the ncurses manual pages curs_initscr(3X) (newterm, endwin, delscreen), curs_inopts(3X)
// (raw, noecho, keypad, set_escdelay), curs_color(3X), curs_mouse(3X) and curs_kernel(3X).

import CNcurses
import CTerminalGuard
import Render

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The interactive screen. One at a time per process (the signal guard is process-wide).
///
/// Not Sendable: curses is a single-threaded library with process-global state, so the screen
/// belongs to the thread that runs the event loop.
public final class TerminalScreen {
  /// The depth `draw` maps colours for: the explicit choice, else what the environment and
  /// terminfo announce. `.trueColor` is drawn with the 256-colour palette (see CursesColorMapper).
  public let colorDepth: ColorDepth

  let screen: OpaquePointer
  let window: UnsafeMutablePointer<WINDOW>
  /// The locale's codeset is UTF-8; otherwise non-ASCII characters are drawn as "?".
  let unicodeOutput: Bool
  let colorMapper: CursesColorMapper
  var pairTable: ColorPairTable
  var isOpen = true
  /// What is on the screen now, to write only the cells that change.
  var previous: Canvas?
  var previousScreenSize = (width: 0, height: 0)
  var needsFullRedraw = true
  /// Standard input hung up without a SIGHUP (reported as SIGHUP by `terminationSignal`).
  var inputLost = false

  private init(
    screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, colorDepth: ColorDepth,
    unicodeOutput: Bool, colorMapper: CursesColorMapper
  ) {
    self.screen = screen
    self.window = window
    self.colorDepth = colorDepth
    self.unicodeOutput = unicodeOutput
    self.colorMapper = colorMapper
    pairTable = ColorPairTable(capacity: colorMapper.terminalColors > 0 ? attn_color_pairs() : 0)
  }

  deinit { close() }

  /// Enters the full-screen mode. `colorDepth` overrides detection (e.g. `--color 16`).
  /// Throws with a one-line message when stdin/stdout is not a terminal or TERM is unknown.
  public static func open(colorDepth requested: ColorDepth? = nil) throws(TerminalError) -> TerminalScreen {
    let unicodeOutput = configureLocale()
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
    // Before newterm: it already switches the tty to curses modes, so the termios saved here is the
    // shell's. ncurses also only installs its own SIGINT/SIGTERM handlers (which exit the process)
    // where the disposition is still the default, so ours must be in place first. The leave
    // sequence is filled in once terminfo is loaded; until then the screen is not active.
    guard attn_guard_install(STDOUT_FILENO, "") == 0 else { throw .alreadyOpen }
    // newterm, unlike initscr, returns NULL for an unknown TERM instead of exiting the process.
    let term = getenv("TERM").map { String(cString: $0) }
    guard let screen = newterm(nil, attn_stdout(), attn_stdin()), let window = attn_stdscr() else {
      attn_guard_uninstall()
      throw .unknownTerminal(term)
    }
    // ncurses accepts TERM=dumb (Emacs shell buffers, some CI logs) and then scribbles lines.
    guard attn_tigetstr("cup") != nil else {
      endwin()
      delscreen(screen)
      attn_guard_restore_termios()
      attn_guard_uninstall()
      throw .cannotAddressCursor(term)
    }
    _ = attn_guard_set_leave_sequence(leaveSequence())
    attn_guard_set_screen_active(1)
    // stderr text would scribble over the screen; it is kept and shown after close (or a crash).
    _ = attn_guard_capture_stderr()

    raw()  // Ctrl-C, Ctrl-Z, Ctrl-\ arrive as keys; the app decides what they do
    noecho()
    keypad(window, true)
    curs_set(0)
    set_escdelay(25)  // a lone Escape is reported after 25 ms instead of 1 s
    defineHomeEndVariants()

    var defaultColors = false
    let hasColors = has_colors()
    if hasColors {
      start_color()
      defaultColors = use_default_colors() == OK
    }
    let terminalColors = hasColors ? Int(attn_colors()) : 0
    let mouseButtons = (1...5).reduce(mmask_t(0)) { $0 | attn_button_mask(Int32($1)) }
    mousemask(mouseButtons, nil)
    mouseinterval(0)  // report presses at once; no click resolution delay

    var environment: [String: String] = [:]
    for name in ["NO_COLOR", "COLORTERM"] {
      if let value = getenv(name) { environment[name] = String(cString: value) }
    }
    let depth = requested ?? detectColorDepth(environment: environment, colors: terminalColors)
    let mapper = CursesColorMapper(depth: depth, terminalColors: terminalColors, defaultColors: defaultColors)
    let terminal = TerminalScreen(
      screen: screen, window: window, colorDepth: depth, unicodeOutput: unicodeOutput, colorMapper: mapper)
    wrefresh(window)  // enter the alternate screen and clear it now, not at the first draw
    return terminal
  }

  /// Columns and rows of the terminal.
  public var size: (width: Int, height: Int) {
    guard isOpen else { return previousScreenSize }
    return (Int(attn_cols()), Int(attn_lines()))
  }

  /// SIGTERM, SIGHUP or SIGINT received (or the terminal hung up); the app should close and exit.
  public var terminationSignal: Int32? {
    let signal = attn_guard_termination_signal()
    if signal != 0 { return signal }
    return inputLost ? SIGHUP : nil
  }

  /// Leaves the full-screen mode for good: normal screen, visible cursor, the shell's tty modes.
  /// Safe to call more than once; also runs from deinit. The C guard's atexit hook covers an
  /// `exit()` that skips both (e.g. ArgumentParser's exit(withError:)); an error thrown out of
  /// top-level code traps, which the guard's crash handler covers.
  public func close() {
    guard isOpen else { return }
    previousScreenSize = size
    isOpen = false
    attn_guard_set_screen_active(0)
    endwin()  // rmcup, cnorm, mouse off, shell tty modes
    delscreen(screen)
    attn_guard_restore_termios()
    attn_guard_release_stderr()  // what was written to stderr meanwhile, now on the normal screen
    attn_guard_uninstall()
  }

  /// Ctrl-Z: gives the terminal back to the shell, stops, and repaints after `fg`.
  /// Keys arrive raw, so the app calls this when it sees `.control("z")`.
  public func suspend() {
    guard isOpen else { return }
    attn_guard_set_screen_active(0)
    endwin()
    attn_guard_restore_termios()
    _ = attn_guard_suspend()  // returns after SIGCONT, or at once without job control
    _ = attn_guard_take_continued()  // our own stop; the repaint below covers it
    repaintAfterStop(alreadyEnded: true)
  }

  /// Forgets what is on the screen, so the next `draw` repaints every cell.
  public func invalidate() {
    needsFullRedraw = true
    if isOpen { clearok(attn_curscr(), true) }
  }

  /// After a stop the shell may have changed the tty modes, keypad mode or screen contents.
  /// endwin puts ncurses in its suspended state, and the next refresh then restores every mode
  /// (doupdate's "coming back from shell mode" path) before the full repaint.
  func repaintAfterStop(alreadyEnded: Bool) {
    if !alreadyEnded {
      attn_guard_set_screen_active(0)
      endwin()
    }
    attn_guard_set_screen_active(1)
    curs_set(0)
    invalidate()
    if let previous { draw(previous) } else { wrefresh(window) }
  }

  /// setlocale(LC_ALL, "") so the wide-character calls use the user's encoding. A non-UTF-8
  /// locale (often plain "C" in containers and under tmux without LANG) falls back to C.UTF-8 for
  /// LC_CTYPE, since today's terminals decode UTF-8; if even that is missing, output is ASCII.
  static func configureLocale() -> Bool {
    setlocale(LC_ALL, "")
    if attn_codeset_is_utf8() != 0 { return true }
    setlocale(LC_CTYPE, "C.UTF-8")
    return attn_codeset_is_utf8() != 0
  }

  /// The bytes the crash guard writes to leave the full-screen mode (terminfo(5) names): mouse
  /// reporting off (xterm private modes 1000/1002/1003/1006), sgr0, rmkx, cnorm, rmcup. Attributes
  /// are reset before leaving so the normal screen is not left in our colours.
  static func leaveSequence() -> String {
    var sequence = "\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l"
    for capability in ["sgr0", "rmkx", "cnorm", "rmcup"] {
      if let value = attn_tigetstr(capability) { sequence += withoutPadding(String(cString: value)) }
    }
    return sequence
  }

  /// Drops terminfo delay specifications (`$<5>`, `$<2*/>`): only tputs understands them.
  static func withoutPadding(_ capability: String) -> String {
    var result = ""
    var index = capability.startIndex
    while index < capability.endIndex {
      let rest = capability[index...]
      if rest.hasPrefix("$<"), let end = rest.firstIndex(of: ">") {
        index = capability.index(after: end)
      } else {
        result.append(capability[index])
        index = capability.index(after: index)
      }
    }
    return result
  }

  /// Home and End arrive in several spellings (xterm normal/application mode, VT220 style, which
  /// tmux sends); bind those the terminfo entry does not already claim (curs_getch(3X) define_key).
  static func defineHomeEndVariants() {
    let variants: [(String, Int32)] = [
      ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME), ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME),
      ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END), ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END),
    ]
    for (sequence, key) in variants where key_defined(sequence) == 0 {
      define_key(sequence, key)
    }
  }
}
