// The viewer's recording and picture flags: `--record FILE.cast` (the interactive session as an
// asciicast) and `--keys "…" --snapshot FILE.{ans,svg,png} [--size WxH]` (the viewer headless: the
// same update, effects and screens at a fixed size, no terminal, the final screen written to a file).
import AppCore
import ArgumentParser
import Foundation
import Render
import ViewerHost

struct ViewOutputOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Record the session as an asciicast v2 file (asciinema's format).", valueName: "file.cast"))
  var record: String?

  @Option(
    help: ArgumentHelp(
      "Keys to feed the viewer headless, e.g. \"j j l <tab> ] q\" (needs --snapshot; see the man page).",
      valueName: "keys"))
  var keys: String?

  @Option(
    help: ArgumentHelp(
      "Run headless and write the final screen as ANSI text, SVG or PNG (by the extension).",
      valueName: "file.ans|svg|png"))
  var snapshot: String?

  @Option(help: ArgumentHelp("The headless screen size (default 80x24).", valueName: "WxH"))
  var size: String?

  enum SnapshotFormat: String, CaseIterable { case ans, svg, png }

  /// Checked before any model is loaded: one line each (exit 1), never the usage text.
  func validate() {
    do { _ = try plan() } catch { exitWithMessage(error) }
  }

  /// What to do headless: nil for the interactive viewer.
  func plan() throws -> (
    steps: [ScriptStep], format: SnapshotFormat, path: String, size: (width: Int, height: Int)
  )? {
    guard let snapshot else {
      if keys != nil {
        throw UserFacingError(description: "--keys needs --snapshot FILE: the keys run headless")
      }
      if size != nil {
        throw UserFacingError(description: "--size is the headless size: it needs --snapshot FILE")
      }
      return nil
    }
    if record != nil {
      throw UserFacingError(
        description: "--record records the interactive viewer; --snapshot runs it headless: choose one")
    }
    let suffix = (snapshot as NSString).pathExtension.lowercased()
    guard let format = SnapshotFormat(rawValue: suffix == "ansi" ? "ans" : suffix) else {
      throw UserFacingError(
        description:
          "--snapshot \(snapshot): unknown extension \(suffix.isEmpty ? "(none)" : "'.\(suffix)'"); use .ans, .svg or .png"
      )
    }
    let steps: [ScriptStep]
    do { steps = try KeyScript.parse(keys ?? "") } catch {
      throw UserFacingError(description: error.description)
    }
    return (steps, format, snapshot, try Self.parseSize(size ?? "80x24"))
  }

  /// "120x40" → (120, 40); 40×12 (the viewer's minimum) up to 1000×1000.
  static func parseSize(_ text: String) throws -> (width: Int, height: Int) {
    let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
      (40...1000).contains(width), (12...1000).contains(height)
    else {
      throw UserFacingError(
        description: "--size \(text): expected WIDTHxHEIGHT between 40x12 and 1000x1000, e.g. 120x40")
    }
    return (width, height)
  }
}

enum HeadlessView {
  /// Feeds the keys, then writes the screen as it would be on the terminal (prompt and notice
  /// included) to the snapshot file. Exits 1 with one line when the file cannot be written.
  static func run(
    _ plan: (
      steps: [ScriptStep], format: ViewOutputOptions.SnapshotFormat, path: String,
      size: (width: Int, height: Int)
    ),
    state: inout AppState, session: inout ViewerSession
  ) {
    let ran = EffectLoop.run(plan.steps, state: &state, session: &session, size: plan.size)
    if ran < plan.steps.count {
      Output.notice(
        "--keys: the viewer quit after key \(ran) of \(plan.steps.count); the screen before the quit is written"
      )
    }
    let canvas = AppView.view(state, size: plan.size)
    do {
      let bytes: [UInt8]
      switch plan.format {
      case .ans: bytes = Array(ANSIExporter.render(canvas, depth: state.depth).utf8)
      case .svg: bytes = Array(SVGExporter.render(canvas, depth: state.depth).utf8)
      case .png: bytes = try ScreenPicture.png(canvas, depth: state.depth)
      }
      _ = try ScreenFiles.write([(plan.path, bytes)])
    } catch {
      exitWithMessage(UserFacingError(description: "--snapshot: \(error)"))
    }
  }
}
