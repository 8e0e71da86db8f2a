import ArgumentParser
import Decoding
import Foundation
import Render
// `attnscope classify`: a ViT's predicted classes for one image, as text or JSON.
import Tensors
import Transformer
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
      var choice = try ModelChoice.parse([])
      choice.model = model
      let loaded = try choice.openImage()
      guard let path = image ?? loaded.defaultImagePath else {
        throw UserFacingError(description: "\(loaded.name) has no example image: pass --image")
      }
      let analysis = try userFacing { () throws(ModelError) in try loaded.analyse(imageAt: path) }
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
