// The TUI's main loop, shared by text and image models: draw, wait for a key (or the next
// playback tick), update, and hand each effect to the host until one says quit.
import AppCore
import Render
import Terminal

enum InteractiveLoop {
  /// Runs until `perform` returns false (quit) or a termination signal arrives. `perform` may append
  /// follow-up effects to the queue it is given.
  static func run(
    on screen: TerminalScreen, state: inout AppState,
    perform: (Effect, inout AppState, inout [Effect]) -> Bool
  ) {
    var firstFrame = true
    let clock = ContinuousClock()
    var nextTick: ContinuousClock.Instant?  // while the state asks for ticks (playback)
    while screen.terminationSignal == nil {
      screen.draw(AppView.view(state, size: screen.size))
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
      while !effects.isEmpty {
        let effect = effects.removeFirst()
        if case .exportScreen(let name) = effect {  // the same for every host (ExportEffect.swift)
          ExportEffect.perform(name, state: &state, size: screen.size)
          continue
        }
        if !perform(effect, &state, &effects) { return }
      }
    }
  }
}
