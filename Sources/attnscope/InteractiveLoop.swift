// The TUI's main loop, the same for every model: draw, wait for a key (or the next playback
// tick), update, hand each effect to the session and feed its answer back through `update`,
// until an effect says quit.
import AppCore
import Render
import Terminal
import ViewerHost

enum InteractiveLoop {
  /// Runs until a `.quit` effect or a termination signal; `recording` (`--record`) gets every frame.
  static func run(
    on screen: TerminalScreen, state: inout AppState, session: inout ViewerSession,
    recording: CastRecording? = nil
  ) {
    defer { recording?.finish() }
    var firstFrame = true
    let clock = ContinuousClock()
    var nextTick: ContinuousClock.Instant?  // while the state asks for ticks (playback)
    var lastFrame: Canvas?
    while screen.terminationSignal == nil {
      // A layer not computed yet (a long input): say so on the last frame before computing it.
      if let status = state.computingStatus {
        screen.draw(AppView.computing(status, over: lastFrame, size: screen.size))
      }
      let frame = AppView.view(state, size: screen.size)
      screen.draw(frame)
      recording?.record(frame, depth: screen.colorDepth)
      lastFrame = frame
      if firstFrame {
        firstFrame = false
        DebugCrash.crashIfRequested()
      }
      // Wait for a key, but no longer than the next tick is due.
      var timeout = 200
      if let interval = state.tickInterval {
        let due = nextTick ?? clock.now + interval
        nextTick = due
        timeout = max(0, Int(((due - clock.now) / .milliseconds(1)).rounded(.up)))
      } else {
        nextTick = nil
      }
      let event = screen.nextEvent(timeoutMilliseconds: timeout)
      var effects: [Effect] = []
      if let due = nextTick, clock.now >= due, let interval = state.tickInterval {
        effects += tick(&state)
        nextTick = max(due + interval, clock.now)
      }
      if event == .key(.control("z")) {
        screen.suspend()
        continue
      }
      if let event { effects += update(&state, event, size: screen.size) }
      guard EffectLoop.drain(effects, state: &state, session: &session, size: screen.size) else { return }
    }
  }
}
