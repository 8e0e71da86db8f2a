// `attnscope classify`: a ViT's predicted classes for one image, as text or JSON.
import ArgumentParser
import Decoding
import Foundation
import Render
import Workbench

struct ClassifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "classify", abstract: "Classify an image with a Vision Transformer.")

  @Option(help: "A bundled ViT sample's name or a model folder.")
  var model = "shapes-vit"

  @Option(help: "PNG or PGM/PPM image (default: the model's example image).")
  var image: String?

  @Option(help: "How many classes to list.")
  var top = 5

  @Flag(help: "Print JSON instead of a table.")
  var json = false

  func validate() throws {
    checkFlags { () throws(DomainError) in try FlagDomains.top.check(top, "--top") }
  }

  func run() throws {
    do {
      guard top > 0 else { throw UserFacingError(description: "--top must be positive") }
      let (loaded, analysis) = try VisionSession(model: model, image: image).analyse()
      for notice in analysis.notices { Output.notice(notice) }
      let ranked = analysis.top(top)
      if json {
        let object: [String: Any] = [
          "model": loaded.name, "image": analysis.imageName,
          "classes": ranked.map {
            // JSON has no NaN: a non-finite probability (an overflowing model) is null.
            [
              "class": $0.name,
              "probability": $0.probability.isFinite ? Double($0.probability) as Any : NSNull(),
            ]
          },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        Output.json(data)
      } else {
        let width = ranked.map(\.name.count).max() ?? 0
        for (name, probability) in ranked {
          let bar = String(repeating: "█", count: filledCells(fraction: Double(probability), of: 30))
          Output.line(
            [
              name.padding(toLength: width, withPad: " ", startingAt: 0),
              String(format: "%6.2f%%", probability * 100), bar,
            ].joined(separator: " "))
        }
      }
    } catch {
      exitWithMessage(error)
    }
  }
}

/// A ViT model and an image, resolved and loaded with one-line errors.
struct VisionSession {
  let model: String
  let image: String?

  func load() throws -> LoadedVisionModel {
    guard let (folder, name) = ModelCatalog.resolve(model) else {
      throw UserFacingError(description: "unknown model '\(model)': not a folder, and not a bundled sample")
    }
    guard LoadedVisionModel.isVisionFolder(folder) else {
      throw UserFacingError(
        description: "\(name) is not an image model (config.json architecture is not \"vit\")")
    }
    do { return try LoadedVisionModel(folder: folder, name: name) } catch {
      throw UserFacingError(description: error.description)
    }
  }

  func analyse() throws -> (LoadedVisionModel, VisionAnalysis) {
    let loaded = try load()
    guard let path = image ?? loaded.defaultImagePath else {
      throw UserFacingError(description: "\(loaded.name) has no example image: pass --image")
    }
    do {
      let picture = try LoadedVisionModel.readImage(path)
      return (loaded, try loaded.analyse(picture, imageName: URL(fileURLWithPath: path).lastPathComponent))
    } catch {
      throw UserFacingError(description: error.description)
    }
  }
}
