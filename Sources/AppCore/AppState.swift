// The viewer's state on every screen and the effects it asks of its host: a pure value, no terminal.
import Render
import Trace

public struct AppState: Sendable {
  public var trace: AttentionTrace {
    didSet { traceGeneration &+= 1 }
  }
  /// Counts replacements of `trace`, so the attention screen's memo never shows an old trace.
  public private(set) var traceGeneration = 0
  /// The attention screen's pooled overviews, kept between frames (AttentionPooling.swift).
  public let attentionMemo = AttentionMemo()
  /// One line saying what model this is (e.g. "untrained, fixed seed 1").
  public var modelDescription: String
  public var depth: ColorDepth
  /// Index into `trace.availableKinds`.
  public var kindIndex = 0
  public var layer = 0
  public var head = 0
  public var cursorRow = 0
  public var cursorColumn = 0
  public var showHelp = false
  /// The help overlay's page (space turns it where the keys take more than one screen).
  public var helpPage = 0
  /// Messages such as "input truncated to 64 tokens", shown until the next key.
  public var notice: String?
  /// A line being typed (a model to open, a new input), shown in place of the notice.
  public var prompt: Prompt?
  /// Which screen is shown (number keys switch).
  public var screen: Screen = .attention
  /// False where no host can decode (e.g. `train --watch`, image models): the decoding screens
  /// then say they are not available.
  public var decodingEnabled = true
  /// Screen 2: a greedy run stepped through.
  public var decode = DecodeScreenState()
  /// Screens 3 and 4: greedy and beam on the same input, and the beam's tree.
  public var compare = CompareScreenState()
  /// Box, block and arrow characters for every screen: ASCII where the locale is not UTF-8.
  public var glyphs: Glyphs = .unicode
  /// Screen 8 (ViT models): the image, the query token, layer and head or rollout.
  public var patches = PatchScreenState()
  /// Screens 5–7 and the attention zoom (ScreenSelections.swift).
  public var selections = ScreenSelections()
  /// Screen 7: the loaded model's positional tables, filled in by the host (may be empty).
  public var positionalTables: [PositionalTable] = []
  /// Screen 2: greedy or sampled, and the sampling settings (DecodeSampling.swift).
  public var sampling = SamplingSettings()
  /// Screen 0: one word in two inputs (ContrastScreen.swift).
  public var contrast = ContrastScreenState()
  /// Screen 5's head fingerprints and what it colours, ranks and filters by (HeadMetricView.swift).
  public var headMetrics = HeadMetricSelection()
  /// Screen 7's computed tables and similarities, kept between frames.
  public let positionalMemo = PositionalMemo()
  /// The heads switched off (model view `a`); every screen shows the model with them off.
  public var ablation = HeadAblation()
  /// The decode screen's logit lens (`L`), AblationAndLens.swift.
  public var lens = LensScreenState()

  public init(trace: AttentionTrace, modelDescription: String, depth: ColorDepth, notice: String? = nil) {
    self.trace = trace
    self.modelDescription = modelDescription
    self.depth = depth
    self.notice = notice
    updateFingerprints(nil)
  }

  /// Forgets decoded results (the input or model changed) and returns what the current screen
  /// now needs the host to compute.
  public mutating func invalidateDecoding() -> [Effect] {
    decode = DecodeScreenState(layer: decode.layer, head: decode.head)
    compare.run = nil
    compare.problem = nil
    compare.step = nil
    compare.treeNode = 0
    (contrast.run, contrast.problem) = (nil, nil)
    lens.forget()
    return decodingEffects()
  }

  /// The host work the current screen is waiting for, if any.
  public func decodingEffects() -> [Effect] {
    guard decodingEnabled else { return [] }
    switch screen {
    case .attention, .modelView, .qkDetail, .positional, .patches, .lines: return []
    case .contrast:
      guard contrast.run == nil, contrast.problem == nil else { return [] }
      return [.runContrast(first: contrast.texts[0], second: contrast.texts[1])]
    case .decode:
      return (decode.run == nil && decode.problem == nil ? [.runDecode] : []) + lensEffects()
    case .compare, .tree:
      guard !compare.isCurrent, compare.problem == nil else { return [] }
      return [.runCompare(width: compare.width, alpha: compare.alpha)]
    }
  }

  public var kinds: [(stack: AttentionStack, kind: AttentionKind)] { trace.availableKinds }

  /// The entries of the selected stack and kind, one per layer, each computed when read (a long
  /// input's trace computes one layer at a time).
  public var layerEntries: AttentionEntries {
    guard kinds.indices.contains(kindIndex) else { return AttentionEntries(trace, positions: []) }
    return trace.entries(stack: kinds[kindIndex].stack, kind: kinds[kindIndex].kind)
  }

  /// The attention entry on screen, if the trace has any.
  public var entry: AttentionEntry? {
    let entries = layerEntries
    return entries.indices.contains(layer) ? entries[layer] : nil
  }

  /// The head on screen alone (heads 1): on a long input's trace this costs one head's n × n, not
  /// the layer's (a 0.5 B LLM at 4,096 tokens: 134 MB instead of 1.9 GB); a screen that shows one
  /// head reads this with head 0.
  public var headEntry: AttentionEntry? {
    let entries = layerEntries
    guard entries.indices.contains(layer) else { return nil }
    return trace.entry(at: entries.traceIndex(layer), head: head)
  }

  /// The layout (kind, heads, labels) of the layer on screen, known without computing it.
  public var layerLayout: AttentionLayout? {
    let entries = layerEntries
    guard entries.indices.contains(layer) else { return nil }
    return trace.layout[entries.traceIndex(layer)]
  }

  /// Heads of the layer on screen (0 without attention), read from the layout, not the numbers.
  public var headCount: Int { layerLayout?.heads ?? 0 }

  /// Floats of probabilities and scores the attention screen holds for a whole layer at most; past
  /// it (a 0.5 B LLM at 4,096 tokens: 14 heads × 4,096² × 2 = 470 M floats, 1.9 GB) it holds the
  /// selected head alone (134 MB) and the strip of heads is not offered. A var so tests can lower it.
  public var wholeLayerFloats = 64 << 20

  /// Whether the attention screen shows the whole layer (every head at hand), or one head.
  public var showsWholeLayer: Bool {
    guard trace.computesOnDemand, let layout = layerLayout else { return true }
    return layout.heads * layout.cellsPerHead * 2 <= wholeLayerFloats
  }

  /// What the attention screen draws: the layer, or on a long input the selected head alone.
  public var shownEntry: AttentionEntry? { showsWholeLayer ? entry : headEntry }

  /// The selected head's index in `shownEntry` (0 when it holds that head alone).
  public var shownHead: Int { showsWholeLayer ? head : 0 }

  /// The trace index of the entry on screen, if it is not computed yet (the host then says it is
  /// computing before the screen waits for it). The attention screen on a long input asks about
  /// its one head.
  public var entryBeingComputed: Int? {
    let entries = layerEntries
    guard entries.indices.contains(layer) else { return nil }
    let index = entries.traceIndex(layer)
    let ready =
      screen == .attention && !showsWholeLayer ? trace.isReady(index, head: head) : trace.isReady(index)
    return ready ? nil : index
  }

  /// Shows a new trace of the same model (e.g. after a training step), keeping the selection.
  public mutating func replaceTrace(_ newTrace: AttentionTrace) {
    trace = newTrace
    updateFingerprints(nil)
    clamp()
  }

  /// Starts on `layer` and `head` (0-based; nil keeps the current), kept inside the trace.
  public mutating func select(layer: Int?, head: Int?) {
    if let layer { self.layer = layer }
    if let head { self.head = head }
    clamp()
  }

  /// Keeps every index inside what the current entry has, after any change.
  mutating func clamp() {
    kindIndex = min(max(0, kindIndex), max(0, kinds.count - 1))
    layer = min(max(0, layer), max(0, layerEntries.count - 1))
    guard let entry = layerLayout else { return }  // the layout: clamping never computes a layer
    head = min(max(0, head), entry.heads - 1)
    cursorRow = min(max(0, cursorRow), max(0, entry.queries.count - 1))
    // With the sink hidden its column is not drawn, so the cursor cannot stand on it (screen 6
    // draws every key whatever `w` says, and keeps key 0 reachable).
    let firstColumn = selections.hidesSink && screen != .qkDetail && entry.keys.count > 1 ? 1 : 0
    cursorColumn = min(max(firstColumn, cursorColumn), max(0, entry.keys.count - 1))
  }
}

/// A one-line text field and what its Enter does.
public struct Prompt: Equatable, Sendable {
  public enum Purpose: Equatable, Sendable {
    case openModel, editInput, exportScreen
    /// Screen 0's input 1 or 2.
    case contrastInput(Int)
    /// `/` on the attention screen: jump to the next token containing the text.
    case findToken
  }
  public var purpose: Purpose
  public var text: String
  /// The open dialog's models (OpenDialog), as the host listed them, and the picked match.
  public var choices: [OpenChoice] = []
  public var selected = 0

  public var label: String {
    switch purpose {
    case .openModel: "open model (name or folder)"
    case .editInput: "new input"
    case .exportScreen: "export screen to (writes NAME.svg, NAME.ans and NAME.png)"
    case .contrastInput(let index): "contrast input \(index + 1)"
    case .findToken: "find token (part of it)"
    }
  }
}

/// Work the app asks its host to do.
public enum Effect: Equatable, Sendable {
  case quit
  /// Load a bundled sample or model folder; answered by `.opened` or `.failed` (the old model stays).
  case openModel(String)
  /// List the models the open dialog offers; answered by `.modelsListed`.
  case listModels
  /// Trace the current model on new input text.
  case retrace(text: String)
  /// Decode the current input greedily with every step recorded; answered by `.decoded`.
  case runDecode
  /// Decode the current input greedily and by beam search (screens 3 and 4); answered by `.compared`.
  case runCompare(width: Int, alpha: Float)
  /// Write the current screen as `name.svg` and `name.ans` (ScreenExport); answered by `.exported`
  /// or `.failed`, and the viewer keeps running either way.
  case exportScreen(name: String)
  /// Run both of screen 0's inputs (vectors at every depth, attention); answered by `.contrasted`.
  case runContrast(first: String, second: String)
  /// Re-run the model with these heads switched off (empty: none); answered by `.ablated`.
  case ablate(HeadAblation)
  /// The logit lens of greedy and of each beam hypothesis (`width`, α); answered by `.lensed`.
  case runLens(width: Int, alpha: Float)
}

/// The screens the number keys switch between.
public enum Screen: Int, CaseIterable, Sendable {
  case attention = 1, decode, compare, tree, modelView = 5, qkDetail = 6, positional = 7
  case patches = 8
  case lines = 9
  /// Key 0, after the others on the tab row.
  case contrast = 0

  public var title: String {
    switch self {
    case .attention: "attention"
    case .decode: "decode"
    case .compare: "compare"
    case .tree: "beam tree"
    case .modelView: "model"
    case .qkDetail: "q·k"
    case .positional: "positions"
    case .patches: "patches"
    case .contrast: "contrast"
    case .lines: "lines"
    }
  }
}
