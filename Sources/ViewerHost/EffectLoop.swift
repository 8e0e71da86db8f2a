// The half of the viewer's loop that does not need a terminal: each effect goes to the session and
// its answer back through `update`. The TUI (InteractiveLoop) and the headless `--keys` run share it,
// so a scripted snapshot passes through exactly the transitions a user's keys do.
import AppCore
import Render

public enum EffectLoop {
  /// Carries out `effects` and the effects their answers cause; false once one of them is `.quit`.
  public static func drain(
    _ effects: [Effect], state: inout AppState, session: inout ViewerSession, size: (width: Int, height: Int)
  ) -> Bool {
    var effects = effects
    while !effects.isEmpty {
      let effect = effects.removeFirst()
      guard let message = session.perform(effect, state: state, size: size) else { return false }
      effects += update(&state, message)
    }
    return true
  }

  /// Feeds `steps` at a fixed `size` as the TUI would (after each, its effects are carried out),
  /// stopping at a quit. Returns how many steps ran (all of them unless one quit).
  public static func run(
    _ steps: [ScriptStep], state: inout AppState, session: inout ViewerSession,
    size: (width: Int, height: Int)
  ) -> Int {
    for (index, step) in steps.enumerated() {
      let effects: [Effect]
      switch step {
      case .event(let event): effects = update(&state, event, size: size)
      case .tick: effects = tick(&state)
      }
      if !drain(effects, state: &state, session: &session, size: size) { return index + 1 }
    }
    return steps.count
  }
}
