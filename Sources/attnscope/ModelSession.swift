// Opens the model a command names (any format, through Workbench's ModelFormats) and traces its
// input; errors become one-line messages.
import Foundation
import Trace
import Transformer
import ViewerHost
import Workbench

/// A failure to report on one line and exit with status 1.
struct UserFacingError: Error, CustomStringConvertible {
  let description: String
}

/// Runs `body`, turning the engine's ModelError into a one-line user-facing error.
func userFacing<T>(_ body: () throws(ModelError) -> T) throws -> T {
  do { return try body() } catch { throw UserFacingError(description: error.description) }
}

extension ModelChoice {
  /// The model `--model` names, text or image.
  func open() throws -> OpenedModel {
    try userFacing { () throws(ModelError) in try ModelFormats.open(model) }
  }

  /// The text model `--model` names; an image model is refused.
  func openText() throws -> LoadedModel {
    guard case .text(let loaded) = try open() else {
      throw UserFacingError(description: "\(model) is an image model: give it an image, not text")
    }
    return loaded
  }

  /// The image model `--model` names; a text model is refused.
  func openImage() throws -> LoadedVisionModel {
    guard case .image(let loaded) = try open() else {
      throw UserFacingError(
        description: "\(model) is not an image model (config.json architecture is not \"vit\")")
    }
    return loaded
  }
}

extension ModelOptions {
  func open() throws -> OpenedModel { try choice.open() }

  /// The viewer's session: the model on `--text`/`--target` or `--image` (else its defaults).
  func session(_ opened: OpenedModel) throws -> ViewerSession {
    switch opened {
    case .text:
      if image != nil {
        throw UserFacingError(description: "\(model) is a text model: --image is for ViT models")
      }
      return try userFacing { () throws(ModelError) in
        try ViewerSession(model: opened, input: text, target: target)
      }
    case .image:
      if text != nil || target != nil {
        throw UserFacingError(description: "\(model) is an image model: pass --image, not --text")
      }
      return try userFacing { () throws(ModelError) in try ViewerSession(model: opened, input: image) }
    }
  }

  /// The trace of a text model's input, or of a ViT's image (`--image`, else its example).
  func traceAnyModel(ablation: AblationOption? = nil) throws -> TraceResult {
    let opened = try open()
    let session = try self.session(try ablation?.apply(to: opened) ?? opened)
    let view = try userFacing { () throws(ModelError) in try session.view() }
    return TraceResult(trace: view.trace, notices: view.notices)
  }
}

/// Prints `error` as one sanitised line on standard error and exits 1.
func exitWithMessage(_ error: Error) -> Never {
  // One line, sanitised (C0, DEL, C1, bidi controls), named once (Output.swift).
  Output.notice(String(describing: error))
  exit(1)
}
