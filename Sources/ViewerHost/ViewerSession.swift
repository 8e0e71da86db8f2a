// The viewer's host side, kept out of the executable so it can be unit-tested: it holds the open
// model and the current input, carries out AppCore's effects, and answers each with a `Message`
// for `update` (it never writes into AppState itself).
import AppCore
import Foundation
import Trace
import Transformer
import Workbench

public struct ViewerSession: Sendable {
  /// The model shown: `trained` with `ablation`'s heads switched off.
  public private(set) var model: OpenedModel
  /// The model as opened, before any ablation.
  public private(set) var trained: OpenedModel
  public private(set) var ablation = HeadAblation()
  /// The text being shown (text models) or the image path (image models).
  public private(set) var input: String
  /// The decoder target of an encoder-decoder model's first trace (nil: its greedy output).
  var target: String?
  /// Folders and files opened with `o` go into OpenHistory (the interactive viewer sets this; tests
  /// and headless runs leave the user's state alone).
  public var remembersOpenedModels = false

  /// `model` on `input` (nil: the model's default text or example image), `target` for the decoder.
  public init(model: OpenedModel, input: String? = nil, target: String? = nil) throws(ModelError) {
    self.model = model
    trained = model
    switch model {
    case .text(let loaded):
      guard let text = input ?? loaded.config.defaultText else {
        throw ModelError("\(loaded.name) has no default text: pass --text")
      }
      self.input = text
      self.target = target ?? (input == nil ? loaded.config.defaultTarget : nil)
    case .image(let loaded):
      guard let path = input ?? loaded.defaultImagePath else {
        throw ModelError("\(loaded.name) has no example image: pass --image")
      }
      self.input = path
    }
  }

  /// What the viewer shows of the model on the current input.
  public func view() throws(ModelError) -> ModelView {
    switch model {
    case .text(let loaded):
      let result = try loaded.trace(text: input, target: target, recordsVectors: true)  // for Q·K detail
      var view = ModelView(
        trace: result.trace, description: loaded.description, notices: result.notices,
        positionalTables: loaded.positionalTables,
        decoding: (loaded.policy.beamWidth, loaded.policy.lengthPenalty))
      // Screen 5's fingerprints, induction from its own short probe (HeadAnalysis.swift).
      if !result.trace.computesOnDemand {
        view.fingerprints = try loaded.fingerprints(of: result.trace).fingerprints
      }
      return view
    case .image(let loaded):
      let analysis = try loaded.analyse(imageAt: input)
      return ModelView(
        trace: analysis.trace, description: loaded.config.description ?? loaded.name,
        notices: analysis.notices, positionalTables: loaded.positionalTables, decoding: nil,
        patchView: analysis.patchView)
    }
  }

  /// Carries out `effect` and says what came of it; nil for `.quit` (the loop's business).
  public mutating func perform(_ effect: Effect, state: AppState, size: (width: Int, height: Int))
    -> Message?
  {
    do {
      switch effect {
      case .quit: return nil
      case .openModel(let reference):
        var next = try ViewerSession(model: try ModelFormats.open(reference))
        next.remembersOpenedModels = remembersOpenedModels
        let view = try next.view()
        self = next
        if remembersOpenedModels { OpenHistory.remember(reference) }
        return .opened(view)
      case .listModels:
        return .modelsListed(ModelListing.choices())
      case .retrace(let newInput):
        var next = self
        (next.input, next.target) = (newInput, nil)
        let view = try next.view()
        self = next
        return .retraced(view)
      case .runDecode:
        var run = try textModel().decodeRun(text: input, settings: state.sampling)
        if !ablation.isEmpty {
          run.before = try trainedTextModel().decodeRun(text: input, settings: state.sampling).steps
        }
        return .decoded(run)
      case .runCompare(let width, let alpha):
        var run = try textModel().compareRun(text: input, width: width, alpha: alpha)
        if !ablation.isEmpty {
          run.before = CompareBefore(
            try trainedTextModel().compareRun(text: input, width: width, alpha: alpha))
        }
        return .compared(run)
      case .runContrast(let first, let second):
        return .contrasted(try textModel().contrast(first: first, second: second))
      case .ablate(let heads):
        var next = self
        (next.ablation, next.model) = (heads, trained.ablating(heads))
        let view = try next.view()
        self = next
        return .ablated(view, heads)
      case .runLens(let width, let alpha):
        return .lensed(try textModel().lensRun(text: input, width: width, alpha: alpha))
      case .exportScreen(let name):
        let picture = try ScreenPicture.png(ScreenExport.canvas(state, size: size), depth: state.depth)
        let written = try ScreenFiles.write(ScreenExport.files(state, size: size, name: name))
        return .exported(written + (try ScreenFiles.write([(ScreenExport.pngPath(for: name), picture)])))
      }
    } catch {
      return .failed(effect, "\(error)")
    }
  }

  func textModel() throws(ModelError) -> LoadedModel {
    guard case .text(let loaded) = model else { throw ModelError("not available for image models") }
    return loaded
  }

  func trainedTextModel() throws(ModelError) -> LoadedModel {
    guard case .text(let loaded) = trained else { throw ModelError("not available for image models") }
    return loaded
  }
}
