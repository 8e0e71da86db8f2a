// The `s` key's files: the current screen as SVG (for papers and slides) and as ANSI text (for an
// issue or `less -R`), drawn exactly as on the terminal but without the prompt that asked for them.
import Render

public enum ScreenExport {
  /// `NAME.svg` and `NAME.ans` for a name typed at the prompt; a typed ".svg" or ".ans" is dropped
  /// so "plot.svg" does not become "plot.svg.svg".
  public static func paths(for name: String) -> (svg: String, ansi: String) {
    var base = name
    for suffix in [".svg", ".ans", ".ansi"]
    where base.lowercased().hasSuffix(suffix) && base.count > suffix.count {
      base = String(base.dropLast(suffix.count))
    }
    return (base + ".svg", base + ".ans")
  }

  /// The two files' paths and contents for `state` at `size`.
  public static func files(_ state: AppState, size: (width: Int, height: Int), name: String)
    -> [(path: String, contents: String)]
  {
    var shown = state
    (shown.prompt, shown.notice, shown.showHelp) = (nil, nil, false)
    let canvas = AppView.view(shown, size: size)
    let paths = paths(for: name)
    return [
      (paths.svg, SVGExporter.render(canvas, depth: state.depth)),
      (paths.ansi, ANSIExporter.render(canvas, depth: state.depth)),
    ]
  }
}
