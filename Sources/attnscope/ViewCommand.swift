// `attnscope` / `attnscope view`: the interactive attention viewer.
import AppCore
import ArgumentParser
import Decoding
import Foundation
import Render
import Terminal
import Workbench

struct ViewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "view", abstract: "Open the interactive viewer (the default).")

  @OptionGroup var modelOptions: ModelOptions

  @Option(help: "Colour depth: 24bit, 256, 16, 8 or mono (default: from the terminal; NO_COLOR gives mono).")
  var color: ColorDepth?

  @Option(help: "Open on this layer (1-based).")
  var layer: Int?

  @Option(help: "Open on this head (1-based).")
  var head: Int?

  var initialLayer: Int? { layer.map { $0 - 1 } }
  var initialHead: Int? { head.map { $0 - 1 } }

  /// The same domains as `attention --layer/--head`; past the model's own layers or heads is refused
  /// once it is loaded, before the terminal is taken (as `attention` refuses it), never clamped.
  func validate() throws {
    checkFlags { () throws(DomainError) in
      try FlagDomains.position.check(layer, "--layer")
      try FlagDomains.position.check(head, "--head")
    }
  }

  func run() throws {
    if let (folder, _) = ModelCatalog.resolve(modelOptions.model), LoadedVisionModel.isVisionFolder(folder) {
      return try VisionViewer(
        session: VisionSession(model: modelOptions.model, image: modelOptions.image), color: color,
        layer: initialLayer, head: initialHead
      )
      .run()
    }
    // Everything that can fail on bad input happens before the terminal is taken over.
    let model: LoadedModel
    let state: AppState
    do {
      model = try modelOptions.load()
      let result = try modelOptions.trace(model, recordsVectors: true)  // for the Q·K detail screen
      do { try result.trace.checkSelection(layer: initialLayer, head: initialHead) } catch {
        throw UserFacingError(description: error.description)
      }
      state = AppState(
        trace: result.trace, modelDescription: model.config.description ?? model.name,
        depth: .palette256, notice: result.notices.first)
    } catch {
      exitWithMessage(error)
    }
    do {
      try runInteractive(state, model: model)
    } catch {
      exitWithMessage(error)
    }
  }

  func runInteractive(_ initial: AppState, model initialModel: LoadedModel) throws {
    let screen = try TerminalScreen.open(colorDepth: color)
    defer { screen.close() }
    var state = initial
    var model = initialModel
    var text = modelOptions.text ?? model.config.defaultText ?? ""
    state.depth = screen.colorDepth
    state.glyphs = Glyphs.detect(environment: ProcessInfo.processInfo.environment)
    state.positionalTables = model.positionalTables
    state.select(layer: initialLayer, head: initialHead)
    InteractiveLoop.run(on: screen, state: &state) { effect, state, effects in
      switch effect {
      case .quit: return false
      case .openModel(let name):
        if open(name, into: &state, model: &model) {
          text = model.config.defaultText ?? ""
          effects += state.invalidateDecoding()
        }
      case .retrace(let newText):
        if retrace(newText, into: &state, model: model) {
          text = newText
          effects += state.invalidateDecoding()
        }
      case .runDecode: runDecode(text, into: &state, model: model)
      case .runCompare(let width, let alpha):
        runCompare(text, width: width, alpha: alpha, into: &state, model: model)
      case .exportScreen: break  // handled by the loop
      }
      return true
    }
  }

  /// Loads another model; on any failure the message is shown and the current model stays.
  @discardableResult
  func open(_ name: String, into state: inout AppState, model: inout LoadedModel) -> Bool {
    var options = modelOptions
    (options.model, options.text, options.target) = (name, nil, nil)
    do {
      let loaded = try options.load()
      let result = try options.trace(loaded, recordsVectors: true)
      model = loaded
      state.replaceTrace(result.trace)
      state.positionalTables = loaded.positionalTables
      state.modelDescription = loaded.config.description ?? loaded.name
      state.notice = result.notices.first
      return true
    } catch {
      state.notice = "could not open \(name): \(error)"
      return false
    }
  }

  /// Traces the current model on new input (encoder-decoder models show their greedy output).
  @discardableResult
  func retrace(_ text: String, into state: inout AppState, model: LoadedModel) -> Bool {
    do {
      let result = try model.trace(text: text, recordsVectors: true)
      state.replaceTrace(result.trace)
      state.notice = result.notices.first
      return true
    } catch {
      state.notice = "\(error)"
      return false
    }
  }

  /// Screen 2's greedy run, computed synchronously (the models are small).
  func runDecode(_ text: String, into state: inout AppState, model: LoadedModel) {
    do {
      state.decodeRun = try model.decodeRun(text: text)
      state.decodingProblem = nil
      state.decodeStep = 0
    } catch {
      state.decodingProblem = "\(error)"
    }
  }

  /// Screen 3's greedy and beam runs for the width and α asked for.
  func runCompare(_ text: String, width: Int, alpha: Float, into state: inout AppState, model: LoadedModel) {
    do {
      state.compareRun = try model.compareRun(text: text, width: width, alpha: alpha)
      state.decodingProblem = nil
    } catch {
      state.decodingProblem = "\(error)"
      state.notice = "\(error)"
    }
  }
}
