// Loads the model a command names and traces its input; errors become one-line messages.
import Foundation
import Trace
import Transformer
import Workbench

/// A failure to report on one line and exit with status 1.
struct UserFacingError: Error, CustomStringConvertible {
  let description: String
}

extension ModelOptions {
  func load() throws -> LoadedModel {
    guard let (folder, name) = ModelCatalog.resolve(model) else {
      let known = ModelCatalog.bundledNames()
      throw UserFacingError(
        description: "unknown model '\(model)': not a folder, and not a bundled sample"
          + (known.isEmpty ? "" : " (bundled: \(known.joined(separator: ", ")))"))
    }
    do { return try LoadedModel(folder: folder, name: name) } catch {
      throw UserFacingError(description: error.description)
    }
  }

  /// The trace of a text model's input, or of a ViT's image (`--image`, else its example).
  func traceAnyModel() throws -> TraceResult {
    if let (folder, _) = ModelCatalog.resolve(model), LoadedVisionModel.isVisionFolder(folder) {
      if text != nil || target != nil {
        throw UserFacingError(description: "\(model) is an image model: pass --image, not --text")
      }
      let (_, analysis) = try VisionSession(model: model, image: image).analyse()
      return TraceResult(trace: analysis.trace, notices: analysis.notices)
    }
    if image != nil {
      throw UserFacingError(description: "\(model) is a text model: --image is for ViT models")
    }
    return try trace(try load())
  }

  /// The trace of the given (or the model's default) text and target.
  func trace(_ model: LoadedModel, recordsVectors: Bool = false) throws -> TraceResult {
    let text = self.text ?? model.config.defaultText
    guard let text else {
      throw UserFacingError(description: "\(model.name) has no default text: pass --text")
    }
    let target = self.target ?? (self.text == nil ? model.config.defaultTarget : nil)
    do { return try model.trace(text: text, target: target, recordsVectors: recordsVectors) } catch {
      throw UserFacingError(description: error.description)
    }
  }
}

/// Prints `error` as one sanitised line on standard error and exits 1.
func exitWithMessage(_ error: Error) -> Never {
  // One line, sanitised (C0, DEL, C1, bidi controls), named once (Output.swift).
  Output.notice(String(describing: error))
  exit(1)
}
