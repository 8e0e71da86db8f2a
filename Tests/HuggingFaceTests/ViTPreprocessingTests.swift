// A Hugging Face ViT sees the pixels transformers' image processor (Pillow backend) gives it, for
// images smaller and larger than the model's input (scripts/make_vit_preprocessing_fixture.py).
import Foundation
import Imaging
import Safetensors
import TestSupport
import Testing

@testable import Workbench

@Suite struct ViTPreprocessingTests {
  static let root = HFFixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test(arguments: [
    ("landscape", "samples/images/landscape.png"),
    ("crop", "Tests/HuggingFaceTests/Fixtures/vit/crop-20x13.png"),
  ])
  func resizeAndNormaliseMatchTheImageProcessor(name: String, path: String) throws {
    let loaded = try LoadedVisionModel(folder: HFFixtures.folder("vit").path)
    #expect(loaded.resizesLikePillow)
    let expected = try HFFixtures.folder("vit").appendingPathComponent("preprocessing.safetensors").path
    let file = try SafetensorsFile.load(path: expected)
    let image = try LoadedVisionModel.readImage(Self.root.appendingPathComponent(path).path)
    let sized = loaded.modelSized(image)
    // Pillow's 8-bit result, bit for bit.
    #expect(sized.pixels.map { ($0 * 255).rounded() } == (try file.floats("\(name).resized")))
    let input = sized.normalized(mean: loaded.vision.imageMean, std: loaded.vision.imageStd, layout: .chw)
    expectClose(input, try file.floats("\(name).pixel_values"), tolerance: 1e-5, "\(name) pixel_values")
  }
}
