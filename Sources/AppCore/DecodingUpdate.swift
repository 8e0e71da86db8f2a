// Keys of the decode and compare screens: stepping through a greedy run (by hand or played by
// ticks), picking a compare step, beam width and α.
import Render

func handleDecode(_ key: Key, _ state: inout AppState) {
  let steps = state.decodeRun?.steps.count ?? 0
  switch key {
  case .character(" "):
    if !state.decodePlaying, state.decodeStep >= steps - 1 { state.decodeStep = 0 }  // replay
    state.decodePlaying.toggle()
  case .character("e"):
    // Edit the input (as `i` does everywhere); Enter re-traces and re-decodes at once.
    state.decodePlaying = false
    state.prompt = Prompt(purpose: .editInput, text: "")
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
  if [.right, .left, .home, .end, .character("n"), .character("p")].contains(key) {
    state.decodePlaying = false  // stepping by hand takes over from playback
  }
  state.clampDecode(headsWrap: key == .character("]") || key == .character("["))
}

extension AppState {
  /// How often a playing decode screen advances.
  public static let playInterval = Duration.milliseconds(400)

  /// When the host should call `tick` next: `playInterval` while playing, nil otherwise (Elm's
  /// subscriptions: the state says which timers it wants, the host runs them).
  public var tickInterval: Duration? { decodePlaying ? Self.playInterval : nil }
}

/// A timer tick from the host: a playing decode advances one step and stops at the last one.
/// Pure like `update`; it returns effects for symmetry (none so far).
public func tick(_ state: inout AppState) -> [Effect] {
  guard state.decodePlaying else { return [] }
  let steps = state.decodeRun?.steps.count ?? 0
  guard state.screen == .decode, state.decodeStep < steps - 1 else {
    state.decodePlaying = false
    return []
  }
  state.decodeStep += 1
  if state.decodeStep == steps - 1 { state.decodePlaying = false }
  return []
}

func handleCompare(_ key: Key, _ state: inout AppState) -> [Effect] {
  let step = state.selectedCompareStep
  switch key {
  case .right, .character("l"), .character("n"): state.compareStep = step + 1
  case .left, .character("h"), .character("p"): state.compareStep = step - 1
  case .home: state.compareStep = 0
  case .end: state.compareStep = (state.compareRun?.stepCount ?? 1) - 1
  case .character("]"): state.decodeHead += 1
  case .character("["): state.decodeHead -= 1
  case .character(">"), .character("."): state.decodeLayer += 1
  case .character("<"), .character(","): state.decodeLayer -= 1
  default: return handleBeamSettings(key, &state)
  }
  state.clampCompare(headsWrap: key == .character("]") || key == .character("["))
  return []
}

/// Beam width and α, shared by the compare and beam tree screens: a change asks for a new run.
func handleBeamSettings(_ key: Key, _ state: inout AppState) -> [Effect] {
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
    clampLayerAndHead(row, headsWrap: headsWrap)
  }

  /// The compare screen's step: the one picked, else the first divergent one, inside the run.
  public var selectedCompareStep: Int {
    let count = compareRun?.stepCount ?? 0
    return min(max(0, compareStep ?? compareRun?.divergence ?? 0), max(0, count - 1))
  }

  /// Both hypotheses' attention at the selected compare step: cross-attention when the model has
  /// it (encoder-decoder), else masked self-attention; nil where a hypothesis has ended.
  public var compareAttention: (greedy: AttentionRow?, beam: AttentionRow?) {
    guard let run = compareRun else { return (nil, nil) }
    let step = selectedCompareStep
    func row(_ steps: [DecodeStepView]) -> AttentionRow? {
      guard steps.indices.contains(step) else { return nil }
      let usesCross = (run.greedySteps + run.beamSteps).contains { $0.crossAttention != nil }
      return usesCross ? steps[step].crossAttention : steps[step].selfAttention
    }
    return (row(run.greedySteps), row(run.beamSteps))
  }

  mutating func clampCompare(headsWrap: Bool = false) {
    compareStep = compareStep.map { _ in selectedCompareStep }
    let rows = compareAttention
    clampLayerAndHead(rows.greedy ?? rows.beam, headsWrap: headsWrap)
  }

  /// The layer and head of the decoding screens, kept inside `row`'s.
  mutating func clampLayerAndHead(_ row: AttentionRow?, headsWrap: Bool) {
    let layers = max(1, row?.layers ?? 1)
    decodeLayer = min(max(0, decodeLayer), layers - 1)
    let heads = max(1, row?.heads(layer: decodeLayer) ?? 1)
    decodeHead = headsWrap ? (decodeHead + heads) % heads : min(max(0, decodeHead), heads - 1)
  }
}
