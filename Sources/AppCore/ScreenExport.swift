// The `s` key's files: the current screen as SVG (for papers and slides) and as ANSI text (for an
// issue or `less -R`), drawn exactly as on the terminal but without the prompt that asked for them.
import Render

public enum ScreenExport {
  /// `NAME.svg` and `NAME.ans` for a name typed at the prompt; a typed ".svg" or ".ans" is dropped
  /// so "plot.svg" does not become "plot.svg.svg".
  public static func paths(for name: String) -> (svg: String, ansi: String) {
    var base = name
    for suffix in [".svg", ".ans", ".ansi", ".png"]
    where base.lowercased().hasSuffix(suffix) && base.count > suffix.count {
      base = String(base.dropLast(suffix.count))
    }
    return (base + ".svg", base + ".ans")
  }

  /// `NAME.png`, written beside the other two by the host (PNG encoding needs libpng).
  public static func pngPath(for name: String) -> String {
    String(paths(for: name).svg.dropLast(".svg".count)) + ".png"
  }

  /// The screen as exported: `state` at `size` without the prompt, notice and help overlay.
  public static func canvas(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    var shown = state
    (shown.prompt, shown.notice, shown.showHelp) = (nil, nil, false)
    return AppView.view(shown, size: size)
  }

  /// The two files' paths and contents for `state` at `size`.
  public static func files(_ state: AppState, size: (width: Int, height: Int), name: String)
    -> [(path: String, contents: String)]
  {
    let canvas = canvas(state, size: size)
    let paths = paths(for: name)
    return [
      (paths.svg, SVGExporter.render(canvas, depth: state.depth)),
      (paths.ansi, ANSIExporter.render(canvas, depth: state.depth)),
    ]
  }
}
