// The interactive viewer on a ViT model: the patch screen (8) first, the attention and model
// screens over [CLS] and the patches; `i` takes another image path, `o` another ViT model.
import AppCore
import Foundation
import Render
import Terminal
import Workbench

struct VisionViewer {
  let session: VisionSession
  let color: ColorDepth?
  /// Where screen 8 opens (0-based): a layer, and a head instead of the mean of the heads.
  var layer: Int? = nil
  var head: Int? = nil

  /// The viewer state for one analysed image: the trace for the generic screens, the patch view
  /// for screen 8 (shown first, last layer, mean of heads).
  static func state(_ loaded: LoadedVisionModel, _ analysis: VisionAnalysis) -> AppState {
    var state = AppState(
      trace: analysis.trace, modelDescription: loaded.config.description ?? loaded.name, depth: .palette256,
      notice: analysis.notices.first)
    state.decodingEnabled = false
    state.positionalTables = loaded.positionalTables
    apply(analysis, to: &state)
    state.screen = .patches
    state.patchLayer = max(0, loaded.config.encoderLayers - 1)
    return state
  }

  static func apply(_ analysis: VisionAnalysis, to state: inout AppState) {
    state.replaceTrace(analysis.trace)
    state.patchView = PatchView(
      imageName: analysis.imageName, pixels: analysis.image.pixels, size: analysis.image.width,
      patchSize: analysis.patchSize,
      predictions: analysis.top(analysis.classNames.count).map {
        PatchView.Prediction(label: $0.name, probability: $0.probability)
      }, rollouts: analysis.rollouts)
    state.patchQuery = min(state.patchQuery, analysis.gridSize * analysis.gridSize)
    state.patchLayer = min(
      state.patchLayer, max(0, analysis.trace.entries(stack: .encoder, kind: .self).count - 1))
    state.notice = analysis.notices.first
  }

  func run() throws {
    // Everything that can fail on bad input happens before the terminal is taken over.
    var (loaded, analysis): (LoadedVisionModel, VisionAnalysis)
    do {
      (loaded, analysis) = try session.analyse()
      try analysis.trace.checkSelection(layer: layer, head: head)  // as `attention`: refused, not clamped
    } catch { exitWithMessage(error) }
    let screen = try TerminalScreen.open(colorDepth: color)
    defer { screen.close() }
    var state = Self.state(loaded, analysis)
    state.depth = screen.colorDepth
    state.glyphs = Glyphs.detect(environment: ProcessInfo.processInfo.environment)
    if let layer { state.patchLayer = min(layer, max(0, loaded.config.encoderLayers - 1)) }
    if let head { state.patchSource = .head(min(head, loaded.config.numHeads - 1)) }
    InteractiveLoop.run(on: screen, state: &state) { effect, state, _ in
      switch effect {
      case .quit: return false
      case .openModel(let name):
        do {
          let next = VisionSession(model: name, image: nil)
          (loaded, analysis) = try next.analyse()
          let (depth, glyphs) = (state.depth, state.glyphs)
          state = Self.state(loaded, analysis)
          (state.depth, state.glyphs) = (depth, glyphs)
        } catch {
          state.notice = "could not open \(name): \(error)"
        }
      case .retrace(let path):
        do {
          let image = try LoadedVisionModel.readImage(path)
          Self.apply(
            try loaded.analyse(image, imageName: URL(fileURLWithPath: path).lastPathComponent), to: &state)
        } catch {
          state.notice = "\(error)"
        }
      default:
        state.notice = "not available for image models"
      }
      return true
    }
  }
}
