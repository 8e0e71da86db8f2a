// Keys of the decode and compare screens: stepping through a greedy run (by hand or played by
// ticks), picking a compare step, beam width and α.
import Render

func handleDecode(_ key: Key, _ state: inout AppState) {
  let steps = state.decode.run?.steps.count ?? 0
  switch key {
  case .character(" "):
    if !state.decode.playing, state.decode.step >= steps - 1 { state.decode.step = 0 }  // replay
    state.decode.playing.toggle()
  case .character("e"):
    // Edit the input (as `i` does everywhere); Enter re-traces and re-decodes at once.
    state.decode.playing = false
    state.prompt = Prompt(purpose: .editInput, text: "")
  case .right, .character("n"): state.decode.step += 1
  case .left, .character("p"): state.decode.step -= 1
  case .home: state.decode.step = 0
  case .end: state.decode.step = steps - 1
  case .character("]"): state.decode.head += 1
  case .character("["): state.decode.head -= 1
  case .character(">"), .character("."): state.decode.layer += 1
  case .character("<"), .character(","): state.decode.layer -= 1
  default: break
  }
  if [.right, .left, .home, .end, .character("n"), .character("p")].contains(key) {
    state.decode.playing = false  // stepping by hand takes over from playback
  }
  state.clampDecode(headsWrap: key == .character("]") || key == .character("["))
}

extension AppState {
  /// How often a playing decode screen advances.
  public static let playInterval = Duration.milliseconds(400)

  /// When the host should call `tick` next: `playInterval` while playing, nil otherwise (Elm's
  /// subscriptions: the state says which timers it wants, the host runs them).
  public var tickInterval: Duration? { decode.playing ? Self.playInterval : nil }
}

/// A timer tick from the host: a playing decode advances one step and stops at the last one.
/// Pure like `update`; it returns effects for symmetry (none so far).
public func tick(_ state: inout AppState) -> [Effect] {
  guard state.decode.playing else { return [] }
  let steps = state.decode.run?.steps.count ?? 0
  guard state.screen == .decode, state.decode.step < steps - 1 else {
    state.decode.playing = false
    return []
  }
  state.decode.step += 1
  if state.decode.step == steps - 1 { state.decode.playing = false }
  return []
}

func handleCompare(_ key: Key, _ state: inout AppState) -> [Effect] {
  let step = state.selectedCompareStep
  switch key {
  case .right, .character("l"), .character("n"): state.compare.step = step + 1
  case .left, .character("h"), .character("p"): state.compare.step = step - 1
  case .home: state.compare.step = 0
  case .end: state.compare.step = (state.compare.run?.stepCount ?? 1) - 1
  case .character("]"): state.decode.head += 1
  case .character("["): state.decode.head -= 1
  case .character(">"), .character("."): state.decode.layer += 1
  case .character("<"), .character(","): state.decode.layer -= 1
  default: return handleBeamSettings(key, &state)
  }
  state.clampCompare(headsWrap: key == .character("]") || key == .character("["))
  return []
}

/// Beam width and α, shared by the compare and beam tree screens: a change asks for a new run.
func handleBeamSettings(_ key: Key, _ state: inout AppState) -> [Effect] {
  let (width, alpha) = (state.compare.width, state.compare.alphaTenths)
  switch key {
  case .character("+"), .character("="): state.compare.width = min(16, state.compare.width + 1)
  case .character("-"), .character("_"): state.compare.width = max(1, state.compare.width - 1)
  case .character("a"): state.compare.alphaTenths = min(30, state.compare.alphaTenths + 1)
  case .character("A"): state.compare.alphaTenths = max(0, state.compare.alphaTenths - 1)
  default: break
  }
  return (width, alpha) == (state.compare.width, state.compare.alphaTenths) ? [] : state.decodingEffects()
}

extension AppState {
  /// The step being shown, if there is a run.
  public var currentDecodeStep: DecodeStepView? {
    guard let steps = decode.run?.steps, steps.indices.contains(decode.step) else { return nil }
    return steps[decode.step]
  }

  /// Keeps the step, layer and head inside the run; heads cycle like on the attention screen.
  mutating func clampDecode(headsWrap: Bool = false) {
    let steps = decode.run?.steps.count ?? 0
    decode.step = min(max(0, decode.step), max(0, steps - 1))
    let row = currentDecodeStep?.selfAttention ?? currentDecodeStep?.crossAttention
    clampLayerAndHead(row, headsWrap: headsWrap)
  }

  /// The compare screen's step: the one picked, else the first divergent one, inside the run.
  public var selectedCompareStep: Int {
    let count = compare.run?.stepCount ?? 0
    return min(max(0, compare.step ?? compare.run?.divergence ?? 0), max(0, count - 1))
  }

  /// Both hypotheses' attention at the selected compare step: cross-attention when the model has
  /// it (encoder-decoder), else masked self-attention; nil where a hypothesis has ended.
  public var compareAttention: (greedy: AttentionRow?, beam: AttentionRow?) {
    guard let run = compare.run else { return (nil, nil) }
    let step = selectedCompareStep
    func row(_ steps: [DecodeStepView]) -> AttentionRow? {
      guard steps.indices.contains(step) else { return nil }
      let usesCross = (run.greedySteps + run.beamSteps).contains { $0.crossAttention != nil }
      return usesCross ? steps[step].crossAttention : steps[step].selfAttention
    }
    return (row(run.greedySteps), row(run.beamSteps))
  }

  mutating func clampCompare(headsWrap: Bool = false) {
    compare.step = compare.step.map { _ in selectedCompareStep }
    let rows = compareAttention
    clampLayerAndHead(rows.greedy ?? rows.beam, headsWrap: headsWrap)
  }

  /// The layer and head of the decoding screens, kept inside `row`'s.
  mutating func clampLayerAndHead(_ row: AttentionRow?, headsWrap: Bool) {
    let layers = max(1, row?.layers ?? 1)
    decode.layer = min(max(0, decode.layer), layers - 1)
    let heads = max(1, row?.heads(layer: decode.layer) ?? 1)
    decode.head = headsWrap ? (decode.head + heads) % heads : min(max(0, decode.head), heads - 1)
  }
}
