// The ViT training pass against PyTorch autograd (scripts/make_vit_fixtures.py): its forward against
// the inference model, the batch loss and every parameter's gradient.
import Foundation
import Safetensors
import TestSupport
import Testing

@testable import Tensors
@testable import Training
@testable import Transformer

@Suite struct VisionTrainingTests {
  static let models = ["vit_learned_pre", "vit_sincos_post"]
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("TransformerTests/Fixtures/vit")

  func load(_ name: String) throws -> (ModelConfig, ParameterStore, SafetensorsFile, [ImageTrainingExample]) {
    let folder = Self.folder.appendingPathComponent(name)
    let config = try JSONDecoder().decode(
      ModelConfig.self, from: Data(contentsOf: folder.appendingPathComponent("config.json")))
    let weights = try SafetensorsFile.load(path: folder.appendingPathComponent("model.safetensors").path)
    let expected = try SafetensorsFile.load(path: folder.appendingPathComponent("expected.safetensors").path)
    let images = try expected.floats("batch.images")
    let labels = try expected.integers("batch.labels")
    let size = images.count / labels.count
    let batch = labels.enumerated().map { index, label in
      ImageTrainingExample(pixels: Array(images[(index * size)..<((index + 1) * size)]), label: label)
    }
    return (config, try ParameterStore(file: weights, config: config), expected, batch)
  }

  @Test(arguments: models)
  func trainingForwardMatchesInference(name: String) throws {
    let (config, parameters, _, batch) = try load(name)
    let (logits, _) = VisionPass(config: config, parameters: parameters).forward(batch.map(\.pixels))
    let model = VisionTransformer(config: config, parameters: parameters)
    for (index, example) in batch.enumerated() {
      expectClose(
        Array(logits.row(index)), try model.forward(image: example.pixels).logits, tolerance: 1e-5,
        "\(name) image \(index) logits")
    }
  }

  @Test(arguments: models)
  func lossAndGradientsMatchPyTorch(name: String) throws {
    let (config, parameters, expected, batch) = try load(name)
    for threads in [1, 2] {
      let (loss, gradients) = visionLossAndGradients(
        config: config, parameters: parameters, batch: batch, threads: threads)
      expectClose([loss], try expected.floats("batch.loss"), tolerance: 1e-5, "\(name) loss")
      #expect(Set(gradients.tensors.keys) == Set(parameters.tensors.keys))
      for spec in config.parameterSpecs {
        expectClose(
          gradients[spec.name].scalars, try expected.floats("grad.\(spec.name)"), tolerance: 1e-4,
          "\(name) grad.\(spec.name) (\(threads) threads)")
      }
    }
  }

  @Test func badExamplesAreNamed() throws {
    let (config, _, _, batch) = try load("vit_sincos_post")
    #expect(throws: ModelError.self) { try ImageTrainingExample(pixels: [1], label: 0).validate(for: config) }
    #expect(throws: ModelError.self) {
      try ImageTrainingExample(pixels: batch[0].pixels, label: 3).validate(for: config)
    }
  }
}
