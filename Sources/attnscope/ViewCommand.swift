import AppCore
import ArgumentParser
import Decoding
import Foundation
import Render
// `attnscope` / `attnscope view`: the interactive viewer, on text and image models alike.
import Tensors
import Terminal
import Transformer
import ViewerHost
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

  @OptionGroup var output: ViewOutputOptions

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
    // Everything that can fail on bad input happens before the terminal is taken over.
    var session: ViewerSession
    var state: AppState
    var recording: CastRecording?
    do {
      recording = try output.record.map(CastRecording.init(path:))
      session = try modelOptions.session(try modelOptions.open())
      let view = try userFacing { () throws(ModelError) in try session.view() }
      do { try view.trace.checkSelection(layer: initialLayer, head: initialHead) } catch {
        throw UserFacingError(description: error.description)
      }
      state = AppState(trace: view.trace, modelDescription: view.description, depth: .palette256)
      _ = update(&state, .opened(view))
      select(&state, isImage: view.patchView != nil)
    } catch {
      exitWithMessage(error)
    }
    if let plan = try output.plan() {
      state.depth = color ?? .trueColor
      state.glyphs = .unicode
      return HeadlessView.run(plan, state: &state, session: &session)
    }
    do {
      // Folders and files opened, from here and with `o`, are listed by the open dialog next time.
      session.remembersOpenedModels = true
      OpenHistory.remember(modelOptions.model)
      let screen = try TerminalScreen.open(colorDepth: color)
      defer { screen.close() }
      state.depth = screen.colorDepth
      state.glyphs = Glyphs.detect(environment: ProcessInfo.processInfo.environment)
      InteractiveLoop.run(on: screen, state: &state, session: &session, recording: recording)
      screen.close()
      if let failure = recording?.failure { Output.notice(failure) }
    } catch {
      exitWithMessage(error)
    }
  }

  /// `--layer` and `--head` (checked against the trace already): the attention screen's selection,
  /// or screen 8's layer and head.
  func select(_ state: inout AppState, isImage: Bool) {
    guard isImage else { return state.select(layer: initialLayer, head: initialHead) }
    if let layer = initialLayer { state.patches.layer = layer }
    if let head = initialHead { state.patches.source = .head(head) }
  }

}
