// `attnscope` / `attnscope view`: the interactive attention viewer.
import AppCore
import ArgumentParser
import Foundation
import Render
import Terminal

struct ViewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "view", abstract: "Open the interactive viewer (the default).")

  @OptionGroup var modelOptions: ModelOptions

  @Option(help: "Colour depth: 24bit, 256, 16 or mono (default: from the terminal).")
  var color: ColorDepth?

  func run() throws {
    // Everything that can fail on bad input happens before the terminal is taken over.
    let state: AppState
    do {
      let model = try modelOptions.load()
      let result = try modelOptions.trace(model)
      state = AppState(
        trace: result.trace, modelDescription: model.config.description ?? model.name,
        depth: .palette256, notice: result.notices.first)
    } catch {
      exitWithMessage(error)
    }
    do {
      try runInteractive(state)
    } catch {
      exitWithMessage(error)
    }
  }

  func runInteractive(_ initial: AppState) throws {
    let screen = try TerminalScreen.open(colorDepth: color)
    defer { screen.close() }
    var state = initial
    state.depth = screen.colorDepth
    while screen.terminationSignal == nil {
      let size = screen.size
      screen.draw(AttentionScreen.view(state, size: size))
      guard let event = screen.nextEvent(timeoutMilliseconds: 200) else { continue }
      if event == .key(.control("z")) {
        screen.suspend()
        continue
      }
      if update(&state, event, size: screen.size).contains(.quit) { break }
    }
  }
}
