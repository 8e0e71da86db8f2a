// view(state, size) for whichever screen is selected, and the row of screen tabs they share.
import Render

public enum AppView {
  /// The frame for `state` at `size`; with ASCII glyphs (no UTF-8), every character is ASCII.
  public static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    var canvas = screenView(state, size: size)
    if let prompt = state.prompt, prompt.purpose == .openModel { OpenDialog.draw(prompt, into: &canvas) }
    return state.glyphs == .ascii ? canvas.asciiTransliterated() : canvas
  }

  static func screenView(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    switch state.screen {
    case .attention: AttentionScreen.view(state, size: size)
    case .decode: DecodeScreen.view(state, size: size)
    case .compare: CompareScreen.view(state, size: size)
    case .tree: BeamTreeScreen.view(state, size: size)
    case .patches: PatchScreen.view(state, size: size)
    case .modelView: ModelViewScreen.view(state, size: size)
    case .qkDetail: QKDetailScreen.view(state, size: size)
    case .positional: PositionalEncodingScreen.view(state, size: size)
    case .contrast: ContrastScreen.view(state, size: size)
    case .lines: LinesScreen.view(state, size: size)
    }
  }

  /// The frame every decoding screen shares: the size check, title bar and tabs, then `body`
  /// (given the canvas and the column after the tabs), then the prompt or notice and the help.
  static func screen(
    _ state: AppState, size: (width: Int, height: Int), body: (inout Canvas, Int) -> Void
  ) -> Canvas {
    guard size.width >= AttentionScreen.minimumSize.width,
      size.height >= AttentionScreen.minimumSize.height
    else { return AttentionScreen.tooSmall(size) }
    var (canvas, x) = frame(state, size: size)
    body(&canvas, x)
    AttentionScreen.drawPromptOrNotice(state, into: &canvas)
    if state.showHelp { HelpOverlay.draw(into: &canvas, state: state) }
    return canvas
  }

  /// A canvas with the title bar and the screen tabs drawn; returns the column after the tabs.
  static func frame(_ state: AppState, size: (width: Int, height: Int)) -> (Canvas, Int) {
    var canvas = Canvas(width: size.width, height: size.height)
    AttentionScreen.drawTitleBar(state, into: &canvas)
    var x = 1
    // Where the named tabs would take more than half the row, the others show only their number;
    // under 100 columns without padding either, so the selection after them is not cut at 80.
    let named = Screen.allCases.reduce(0) { $0 + " \($1.rawValue) \($1.title) ".count + 1 }
    let narrow = size.width < 100
    for screen in Screen.allCases {
      let selected = screen == state.screen
      let label =
        selected || named <= size.width / 2
        ? " \(screen.rawValue) \(screen.title) " : narrow ? "\(screen.rawValue)" : " \(screen.rawValue) "
      x += canvas.put(label, x: x, y: 1, attributes: selected ? [.reverse, .bold] : [.dim]) + 1
    }
    return (canvas, x + 2)
  }

  /// Shown on a decoding screen while it has nothing to show.
  static func drawWaiting(_ state: AppState, into canvas: inout Canvas) {
    let problem = state.screen == .decode ? state.decode.problem : state.compare.problem
    let message = problem.map { "cannot decode: \($0)" } ?? "decoding…"
    canvas.put(message, x: 1, y: 3, maxWidth: canvas.width - 2)
  }

  /// The tokens joined by spaces, one of them (if any) highlighted; returns the columns written.
  @discardableResult
  static func drawTokens(
    _ tokens: [String], highlight: Int?, into canvas: inout Canvas, x: Int, y: Int, maxWidth: Int
  ) -> Int {
    var column = x
    for (index, token) in tokens.enumerated() {
      let room = x + maxWidth - column
      guard room > 0 else { break }
      let text = index == highlight ? "[\(token)]" : token
      column += canvas.put(
        text, x: column, y: y, attributes: index == highlight ? [.reverse, .bold] : [], maxWidth: room)
      column += 1
    }
    return column - x
  }
}
