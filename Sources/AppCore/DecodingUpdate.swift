// Keys of the decode and compare screens: stepping through a greedy run, beam width and α.
import Render

func handleDecode(_ key: Key, _ state: inout AppState) {
  let steps = state.decodeRun?.steps.count ?? 0
  switch key {
  case .right, .character("n"): state.decodeStep += 1
  case .left, .character("p"): state.decodeStep -= 1
  case .home: state.decodeStep = 0
  case .end: state.decodeStep = steps - 1
  case .character("]"): state.decodeHead += 1
  case .character("["): state.decodeHead -= 1
  case .character(">"), .character("."): state.decodeLayer += 1
  case .character("<"), .character(","): state.decodeLayer -= 1
  default: break
  }
  state.clampDecode(headsWrap: key == .character("]") || key == .character("["))
}

func handleCompare(_ key: Key, _ state: inout AppState) -> [Effect] {
  let (width, alpha) = (state.beamWidth, state.alphaTenths)
  switch key {
  case .character("+"), .character("="): state.beamWidth = min(16, state.beamWidth + 1)
  case .character("-"), .character("_"): state.beamWidth = max(1, state.beamWidth - 1)
  case .character("a"): state.alphaTenths = min(30, state.alphaTenths + 1)
  case .character("A"): state.alphaTenths = max(0, state.alphaTenths - 1)
  default: break
  }
  return (width, alpha) == (state.beamWidth, state.alphaTenths) ? [] : state.decodingEffects()
}

extension AppState {
  /// The step being shown, if there is a run.
  public var currentDecodeStep: DecodeStepView? {
    guard let steps = decodeRun?.steps, steps.indices.contains(decodeStep) else { return nil }
    return steps[decodeStep]
  }

  /// Keeps the step, layer and head inside the run; heads cycle like on the attention screen.
  mutating func clampDecode(headsWrap: Bool = false) {
    let steps = decodeRun?.steps.count ?? 0
    decodeStep = min(max(0, decodeStep), max(0, steps - 1))
    let row = currentDecodeStep?.selfAttention ?? currentDecodeStep?.crossAttention
    let layers = max(1, row?.layers ?? 1)
    decodeLayer = min(max(0, decodeLayer), layers - 1)
    let heads = max(1, row?.heads(layer: decodeLayer) ?? 1)
    decodeHead = headsWrap ? (decodeHead + heads) % heads : min(max(0, decodeHead), heads - 1)
  }
}
