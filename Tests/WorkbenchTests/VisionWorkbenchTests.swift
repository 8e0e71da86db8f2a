// The bundled shapes ViT through the Workbench: images read, resized and classified with every
// attention matrix recorded; bad images and wrong models named on one line.
import Foundation
import Imaging
import Testing

@testable import Trace
@testable import Workbench

@Suite struct VisionWorkbenchTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let model = root.appendingPathComponent("samples/models/shapes-vit").path
  static func image(_ name: String) -> String { root.appendingPathComponent("samples/images/\(name)").path }

  @Test(arguments: ["circle", "square", "triangle", "cross", "ring", "diamond"])
  func bundledExamplesAreClassifiedAsTheirShape(shape: String) throws {
    let loaded = try LoadedVisionModel(folder: Self.model)
    let analysis = try loaded.analyse(
      LoadedVisionModel.readImage(Self.image("\(shape).png")), imageName: shape)
    #expect(analysis.top(1).first?.name == shape)
    #expect(abs(analysis.probabilities.reduce(0, +) - 1) < 1e-5)
  }

  @Test func traceLabelsClassTokenAndPatchesAndRolloutRowsSumToOne() throws {
    let loaded = try LoadedVisionModel(folder: Self.model)
    let analysis = try loaded.analyse(
      LoadedVisionModel.readImage(Self.image("square.ppm")), imageName: "square.ppm")
    let entries = analysis.trace.entries(stack: .encoder, kind: .self)
    #expect(entries.count == loaded.config.encoderLayers)
    #expect(
      entries[0].queries.count == 65 && entries[0].queries[0] == "[CLS]" && entries[0].queries[64] == "p(7,7)"
    )
    for rollout in analysis.rollouts {
      for row in 0..<65 { #expect(abs(rollout[(row * 65)..<((row + 1) * 65)].reduce(0, +) - 1) < 1e-4) }
    }
    #expect(analysis.image.width == 32 && analysis.image.channels == 3)
  }

  @Test func greyAndLargeImagesAreConvertedAndResizedWithANotice() throws {
    let loaded = try LoadedVisionModel(folder: Self.model)
    let grey = try loaded.analyse(LoadedVisionModel.readImage(Self.image("triangle.pgm")), imageName: "t.pgm")
    #expect(grey.image.channels == 3)
    let large = try LoadedVisionModel.readImage(Self.image("landscape.png"))
    let analysis = try loaded.analyse(large, imageName: "landscape.png")
    #expect(analysis.notices.first?.contains("resized from \(large.width)×\(large.height) to 32×32") == true)
  }

  @Test func badImagesAndTextModelsAreOneLineErrors() throws {
    let garbage = FileManager.default.temporaryDirectory.appendingPathComponent("attnscope-\(UUID()).png")
    try Data("not an image at all".utf8).write(to: garbage)
    #expect(throws: Error.self) { _ = try LoadedVisionModel.readImage(garbage.path) }
    do {
      _ = try LoadedVisionModel.readImage(garbage.path)
    } catch {
      #expect(error.description.contains(garbage.lastPathComponent) && !error.description.contains("\n"))
    }
    #expect(throws: Error.self) { _ = try LoadedVisionModel.readImage("/nonexistent/x.png") }
    let text = Self.root.appendingPathComponent("samples/models/en-it").path
    if case .image = try ModelFormats.open(path: text) { Issue.record("en-it opened as an image model") }
    if case .text = try ModelFormats.open(path: Self.model) {
      Issue.record("shapes-vit opened as a text model")
    }
    #expect(throws: Error.self) { _ = try LoadedVisionModel(folder: text) }
    #expect(throws: Error.self) { _ = try LoadedModel(folder: Self.model) }
  }
}
