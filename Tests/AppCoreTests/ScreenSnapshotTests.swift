import TestSupport
// Golden ANSI snapshots of screens 1–4 and 8 at 100×30 in 256 colours (bubbletea's screen tests),
// whole frames through AppView so tab row and status line are pinned too. Re-record with
// ATTNSCOPE_RECORD_SNAPSHOTS=1 (Tests/Support/Snapshot.swift). Each screen's state is built in one
// helper below, so a change to how AppState is filled (the host's results arriving as messages
// instead of fields) is fixed there, once per screen.
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

let snapshotSize = (width: 100, height: 30)

/// Screen 1 on sampleTrace's first kind (encoder self, layer 1, head 1), the cursor moved to
/// "love" → "you" so the highlighted cell is not the corner.
func attentionScreenState() -> AppState {
  var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
  for key: Key in [.down, .right, .right] { _ = update(&state, .key(key), size: snapshotSize) }
  return state
}

/// Screen 2 on sampleDecodeRun, at its second step ("ti" → "amo").
func decodeScreenState() -> AppState {
  var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
  state.decode.run = sampleDecodeRun()
  _ = update(&state, .key(.character("2")), size: snapshotSize)
  _ = update(&state, .key(.right), size: snapshotSize)
  return state
}

/// Screen 3 on sampleCompareRun: greedy "ti amo </s>" against the beam's "ti voglio </s>".
func compareScreenState() -> AppState {
  var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
  state.compare.run = sampleCompareRun()
  _ = update(&state, .key(.character("3")), size: snapshotSize)
  return state
}

/// Screen 4 on sampleTreeRun's tree, with the best hypothesis's node selected.
func beamTreeScreenState() -> AppState {
  var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .palette256)
  state.compare.run = sampleTreeRun()
  _ = update(&state, .key(.character("4")), size: snapshotSize)
  _ = update(&state, .key(.down), size: snapshotSize)
  return state
}

/// Screen 8 on patchState's 2×2-patch ViT (the image half red, half blue).
func patchScreenState() -> AppState {
  var state = patchState()
  state.depth = .palette256
  return state
}

@Suite struct ScreenSnapshotTests {
  func expectSnapshot(_ state: AppState, on screen: Screen, named name: String) {
    #expect(state.screen == screen, "the helper reached its screen")
    assertSnapshot(
      AppView.view(state, size: snapshotSize), depth: .palette256, named: "screen-\(name)-100x30")
  }

  @Test func attention() { expectSnapshot(attentionScreenState(), on: .attention, named: "attention") }
  @Test func decode() { expectSnapshot(decodeScreenState(), on: .decode, named: "decode") }
  @Test func compare() { expectSnapshot(compareScreenState(), on: .compare, named: "compare") }
  @Test func beamTree() { expectSnapshot(beamTreeScreenState(), on: .tree, named: "beam-tree") }
  @Test func patches() { expectSnapshot(patchScreenState(), on: .patches, named: "patches") }
}
