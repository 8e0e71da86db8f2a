// Any key or mouse event, on any screen, at any size, for a text model and an image model: the
// update never traps and the view always fills the canvas; in ASCII mode no frame holds a
// character outside 7-bit ASCII.
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

@Suite struct RobustnessTests {
  static let keys: [Key] =
    [.up, .down, .left, .right, .home, .end, .enter, .tab, .backTab, .escape, .backspace, .delete]
    + "0123456789qwertyuiopasdfghjklzxcvbnm[]<>.,+-=_?~ cZAM/".map { Key.character($0) }

  func randomEvent(_ random: inout SplitMix, size: (width: Int, height: Int)) -> InputEvent {
    switch random.next() % 10 {
    case 0:
      return .mouse(
        MouseEvent(
          x: Int(random.next() % UInt64(size.width + 4)) - 2,
          y: Int(random.next() % UInt64(size.height + 4)) - 2,
          button: random.next() % 2 == 0 ? .left : .wheelDown))
    case 1: return .resize(width: size.width, height: size.height)
    default: return .key(Self.keys[Int(random.next() % UInt64(Self.keys.count))])
    }
  }

  @Test(arguments: [
    ("text", UInt64(1)), ("image", UInt64(2)), ("text-ascii", UInt64(3)), ("image-ascii", UInt64(4)),
  ])
  func randomEventsNeverBreakAnyScreen(kind: String, seed: UInt64) {
    var state =
      kind.hasPrefix("image")
      ? patchState() : AppState(trace: sampleTrace(), modelDescription: "toy", depth: .trueColor)
    if kind.hasSuffix("ascii") { state.glyphs = .ascii }
    var random = SplitMix(seed: seed)
    let sizes = [(40, 12), (60, 20), (100, 30), (200, 60), (12, 5), (39, 11)]
    for step in 0..<600 {
      let size = sizes[step / 100]
      let effects = update(&state, randomEvent(&random, size: size), size: size)
      if effects.contains(.quit) { state.prompt = nil }
      let canvas = AppView.view(state, size: size)
      #expect(canvas.width == size.0 && canvas.height == size.1)
      if state.glyphs == .ascii, step % 10 == 0 {
        let bad = canvas.cells.first { !$0.character.isASCII }
        #expect(bad == nil, "non-ASCII \(String(describing: bad?.character)) on screen \(state.screen)")
      }
    }
  }

  @Test func transliterationKeepsLayoutAndNamesEveryFallback() {
    var canvas = Canvas(width: 8, height: 1)
    canvas.put("│è→█α…中", x: 0, y: 0)
    let ascii = canvas.asciiTransliterated()
    #expect(ascii.lines == ["|e>#a~? "] || ascii.lines.first?.hasPrefix("|e>#a~?") == true)
    #expect(ascii.cells.allSatisfy { $0.character.isASCII })
  }
}

/// SplitMix64 (Steele et al. 2014): a reproducible event stream without the engine's generator.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
