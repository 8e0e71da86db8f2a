// The host's answers to effects (Elm's messages): the host only runs an effect and sends back what
// came of it; `update(_:_:)` is the one place those results enter the state, so every transition
// is a pure function a test can drive.
import Render
import Trace

/// Everything the viewer shows of a newly opened model (or of a new input to the same model).
public struct ModelView: Sendable {
  public var trace: AttentionTrace
  /// One line saying what model this is.
  public var description: String
  public var notices: [String]
  /// Screen 7's tables (may be empty).
  public var positionalTables: [PositionalTable]
  /// The compare screen's starting width and α (the model's decoding policy); nil where the model
  /// cannot decode (an image model).
  public var decoding: (beamWidth: Int, alpha: Float)?
  /// Screen 8's image side for a ViT; nil for text models.
  public var patchView: PatchView?
  /// Every head's fingerprint with induction measured (decoder-only models); nil: the trace's own.
  public var fingerprints: [HeadFingerprint]?

  public init(
    trace: AttentionTrace, description: String, notices: [String] = [],
    positionalTables: [PositionalTable] = [], decoding: (beamWidth: Int, alpha: Float)? = (4, 0),
    patchView: PatchView? = nil
  ) {
    self.trace = trace
    self.description = description
    self.notices = notices
    self.positionalTables = positionalTables
    self.decoding = decoding
    self.patchView = patchView
  }
}

/// What came of an effect.
public enum Message: Sendable {
  /// `.openModel` succeeded: everything about the previous model is replaced.
  case opened(ModelView)
  /// `.retrace` succeeded: the same model on a new input (text, or a ViT's image).
  case retraced(ModelView)
  /// `.runDecode`'s greedy run.
  case decoded(DecodeRun)
  /// `.runCompare`'s greedy and beam runs.
  case compared(CompareRun)
  /// `.runContrast`'s two inputs.
  case contrasted(ContrastRun)
  /// `.exportScreen` wrote these files.
  case exported([String])
  /// `.listModels`: what the open dialog offers.
  case modelsListed([OpenChoice])
  /// `.ablate`: the model re-run with these heads off, on the same input.
  case ablated(ModelView, HeadAblation)
  /// `.runLens`'s readings.
  case lensed(LensRun)
  /// The effect could not be carried out; the state keeps what it had.
  case failed(Effect, String)
}

/// The state after the host's answer, and any follow-up work (e.g. the decode a screen now needs).
public func update(_ state: inout AppState, _ message: Message) -> [Effect] {
  switch message {
  case .opened(let view):
    state.show(view, keepingSelection: false)
    return state.invalidateDecoding()
  case .retraced(let view):
    state.show(view, keepingSelection: true)
    return state.invalidateDecoding()
  case .decoded(let run):
    state.decode.run = run
    state.decode.problem = nil
    state.decode.step = 0
    state.clampDecode()
  case .compared(let run):
    state.compare.run = run
    state.compare.problem = nil
    state.clampCompare()
    state.clampTree()
  case .contrasted(let run): state.showContrast(run)
  case .modelsListed(let choices):
    if state.prompt?.purpose == .openModel { state.prompt?.choices = choices }
  case .exported(let paths):
    // "wrote a.svg, a.ans and a.png"
    let listed =
      paths.count > 1 ? paths.dropLast().joined(separator: ", ") + " and " + paths.last! : paths.joined()
    state.notice = "wrote " + listed
  case .ablated(let view, let ablation):
    return state.showAblated(view, ablation)
  case .lensed(let run):
    state.lens.run = run
    state.lens.problem = nil
    state.lens.clamp()
  case .failed(let effect, let problem):
    switch effect {
    case .openModel(let name): state.notice = "could not open \(name): \(problem)"
    case .runDecode:
      state.decode.run = nil
      state.decode.problem = problem
    case .runCompare:
      // The old run is dropped so the header (the asked-for settings) and the body agree.
      state.compare.run = nil
      state.compare.problem = problem
      state.notice = problem
    case .runLens:
      state.lens.run = nil
      state.lens.problem = problem
    case .runContrast:
      (state.contrast.run, state.contrast.problem) = (nil, problem)
      state.notice = problem
    case .retrace, .exportScreen, .ablate, .quit, .listModels: state.notice = problem
    }
  }
  return []
}

extension AppState {
  /// Puts `view` on screen; a new model starts from its first layer and head and its decoding
  /// defaults, a new input keeps the selection where it still fits.
  mutating func show(_ view: ModelView, keepingSelection: Bool) {
    trace = view.trace
    updateFingerprints(view.fingerprints)
    notice = view.notices.first
    if !keepingSelection {
      modelDescription = view.description
      positionalTables = view.positionalTables
      decodingEnabled = view.decoding != nil
      if let decoding = view.decoding {
        compare = CompareScreenState()
        compare.width = min(16, max(1, decoding.beamWidth))
        compare.alphaTenths = min(30, max(0, Int((decoding.alpha * 10).rounded())))
      }
      (layer, head, cursorRow, cursorColumn, kindIndex) = (0, 0, 0, 0, 0)
      selections = ScreenSelections()
      patches.query = 0
    }
    let lastLayer = max(0, view.trace.entries(stack: .encoder, kind: .self).count - 1)
    if let patch = view.patchView {
      patches.view = patch
      patches.query = min(patches.query, patch.gridSize * patch.gridSize)
      patches.layer = min(patches.layer, lastLayer)
      if !keepingSelection {  // an image model opens on its patches: last layer, mean of heads
        screen = .patches
        (patches.layer, patches.source) = (lastLayer, .meanOfHeads)
      }
    } else if !keepingSelection {
      patches.view = nil
    }
    if !screen.isAvailable(in: self) { screen = .attention }
    clamp()
  }
}
