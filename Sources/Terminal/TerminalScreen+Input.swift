// Reads one input event: keys, mouse, resize; notices termination signals, hang-ups and `fg`.
// Input per curs_get_wch(3X) (wget_wch), curs_inopts(3X) (wtimeout), curs_mouse(3X) (getmouse).

import CNcurses
import CTerminalGuard
import Render

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension TerminalScreen {
  /// The next event, waiting at most `timeoutMilliseconds` (negative: until one arrives).
  /// nil means "nothing for the app": the time ran out, a termination signal is pending (check
  /// `terminationSignal`), or only input the app has no use for arrived.
  /// After the process was stopped and continued from outside (kill -STOP, then fg) it repaints
  /// and reports `.resize` with the current size, so the app lays out and draws again.
  public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
    guard isOpen else { return nil }
    let clock = ContinuousClock()
    let deadline = clock.now + .milliseconds(max(0, timeoutMilliseconds))
    while terminationSignal == nil {
      if let event = resumedEvent() { return event }
      let remaining = max(0, (deadline - clock.now) / .milliseconds(1))
      wtimeout(window, timeoutMilliseconds < 0 ? -1 : Int32(clamping: Int(remaining.rounded(.up))))
      var code: wint_t = 0
      let status = wget_wch(window, &code)
      if status == ERR {
        // The time ran out, or a signal cut the wait short (SIGCONT is answered now).
        noteHangUp()
        return resumedEvent()
      }
      if let event = event(code: Int32(bitPattern: code), isFunctionKey: status == KEY_CODE_YES) {
        return event
      }
      if timeoutMilliseconds >= 0, clock.now >= deadline { return nil }
    }
    return nil
  }

  /// After SIGCONT: repaint, and a `.resize` so the app draws again.
  private func resumedEvent() -> InputEvent? {
    guard attn_guard_take_continued() != 0 else { return nil }
    repaintAfterStop(alreadyEnded: false)
    return resizeEvent()
  }

  private func event(code: Int32, isFunctionKey: Bool) -> InputEvent? {
    if isFunctionKey && code == KEY_RESIZE {
      invalidate()  // ncurses has resized its screens (resizeterm); repaint everything
      return resizeEvent()
    }
    if isFunctionKey && code == KEY_MOUSE {
      var mouse = MEVENT()
      guard getmouse(&mouse) == OK, let button = decodeMouseButton(mouse.bstate) else { return nil }
      return .mouse(MouseEvent(x: Int(mouse.x), y: Int(mouse.y), button: button))
    }
    return decodeKeyCode(code, isFunctionKey: isFunctionKey).map { .key($0) }
  }

  private func resizeEvent() -> InputEvent {
    let (width, height) = size
    return .resize(width: width, height: height)
  }

  /// wget_wch also returns ERR at once, every time, when the terminal is gone (read gives EOF).
  /// Without this check the app would spin until a SIGHUP that may never come.
  private func noteHangUp() {
    var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
    guard poll(&descriptor, 1, 0) == 1 else { return }
    if descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { inputLost = true }
  }
}
