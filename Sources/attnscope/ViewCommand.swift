// `attnscope` / `attnscope view`: the interactive attention viewer.
import AppCore
import ArgumentParser
import Foundation
import Render
import Terminal
import Workbench

struct ViewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "view", abstract: "Open the interactive viewer (the default).")

  @OptionGroup var modelOptions: ModelOptions

  @Option(help: "Colour depth: 24bit, 256, 16 or mono (default: from the terminal).")
  var color: ColorDepth?

  func run() throws {
    // Everything that can fail on bad input happens before the terminal is taken over.
    let model: LoadedModel
    let state: AppState
    do {
      model = try modelOptions.load()
      let result = try modelOptions.trace(model)
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
    state.depth = screen.colorDepth
    var firstFrame = true
    while screen.terminationSignal == nil {
      let size = screen.size
      screen.draw(AttentionScreen.view(state, size: size))
      if firstFrame {
        firstFrame = false
        DebugCrash.crashIfRequested()
      }
      guard let event = screen.nextEvent(timeoutMilliseconds: 200) else { continue }
      if event == .key(.control("z")) {
        screen.suspend()
        continue
      }
      for effect in update(&state, event, size: screen.size) {
        switch effect {
        case .quit: return
        case .openModel(let name): open(name, into: &state, model: &model)
        case .retrace(let text): retrace(text, into: &state, model: model)
        }
      }
    }
  }

  /// Loads another model; on any failure the message is shown and the current model stays.
  func open(_ name: String, into state: inout AppState, model: inout LoadedModel) {
    var options = modelOptions
    (options.model, options.text, options.target) = (name, nil, nil)
    do {
      let loaded = try options.load()
      let result = try options.trace(loaded)
      model = loaded
      state.replaceTrace(result.trace)
      state.modelDescription = loaded.config.description ?? loaded.name
      state.notice = result.notices.first
    } catch {
      state.notice = "could not open \(name): \(error)"
    }
  }

  /// Traces the current model on new input (encoder-decoder models show their greedy output).
  func retrace(_ text: String, into state: inout AppState, model: LoadedModel) {
    do {
      let result = try model.trace(text: text)
      state.replaceTrace(result.trace)
      state.notice = result.notices.first
    } catch {
      state.notice = "\(error)"
    }
  }
}
