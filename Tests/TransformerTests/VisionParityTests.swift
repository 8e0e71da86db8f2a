// The Vision Transformer against PyTorch (scripts/make_vit_fixtures.py): logits, encoder output and
// every attention matrix; the patch and position conventions; bad image input.
import Foundation
import Safetensors
import TestSupport
import Testing

@testable import Tensors
@testable import Trace
@testable import Transformer

@Suite struct VisionParityTests {
  static let models = ["vit_learned_pre", "vit_sincos_post"]

  func load(_ name: String) throws -> (VisionTransformer, SafetensorsFile) {
    let folder = Fixtures.directory.appendingPathComponent("vit/\(name)")
    let data = try Data(contentsOf: folder.appendingPathComponent("config.json"))
    let config = try JSONDecoder().decode(ModelConfig.self, from: data)
    let model = try VisionTransformer(
      config: config, weightsPath: folder.appendingPathComponent("model.safetensors").path)
    return (model, try Fixtures.file("vit/\(name)/expected.safetensors"))
  }

  @Test(arguments: models)
  func logitsAndAttentionMatchPyTorch(name: String) throws {
    let (model, expected) = try load(name)
    let recorder = AttentionRecorder()
    let output = try model.forward(image: try expected.floats("image"), recorder: recorder)
    expectClose(output.logits, try expected.floats("logits"), "\(name) logits")
    expectClose(output.hidden.scalars, try expected.floats("hidden.encoder"), "\(name) encoder output")
    #expect(recorder.entries.count == model.config.encoderLayers)
    for entry in recorder.entries {
      let key = "encoder.self.\(entry.layer)"
      #expect(entry.queries.first == "[CLS]" && entry.queries[1] == "p(0,0)")
      #expect(entry.queries.count == model.vision.patchCount + 1)
      expectClose(entry.weights, try expected.floats("attn.\(key)"), "\(name) attn.\(key)")
      expectClose(entry.scores, try expected.floats("scores.\(key)"), "\(name) scores.\(key)")
    }
  }

  @Test func patchesAreRowMajorAndChannelFirst() {
    let vision = VisionSettings(imageSize: 4, patchSize: 2, channels: 2, classNames: ["a"])
    let image = (0..<32).map(Float.init)  // [C=2, 4, 4]
    let patches = VisionTransformer.patches(of: image, vision)
    #expect(patches.shape == [4, 8])
    // Patch (0,1): channel 0 rows 0–1 columns 2–3, then channel 1 the same.
    #expect(Array(patches.row(1)) == [2, 3, 6, 7, 18, 19, 22, 23])
    #expect(vision.tokenLabels == ["[CLS]", "p(0,0)", "p(0,1)", "p(1,0)", "p(1,1)"])
  }

  @Test func twoDimensionalPositionsSplitRowAndColumn() {
    let table = SinusoidalEncoding.table2D(rows: 3, columns: 4, dimensions: 8)
    let oneD = SinusoidalEncoding.table(positions: 4, dimensions: 4)
    // Patch (2, 3) is row 11: its first half is row 2's encoding, its second half column 3's.
    #expect(Array(table.row(11).prefix(4)) == Array(oneD.row(2)))
    #expect(Array(table.row(11).suffix(4)) == Array(oneD.row(3)))
  }

  @Test func wrongImageSizeIsAnErrorNamingBothSizes() throws {
    let (model, _) = try load("vit_sincos_post")
    #expect(throws: ModelError.self) { _ = try model.forward(image: [0, 1, 2]) }
    do {
      _ = try model.forward(image: [])
    } catch {
      #expect(error.description.contains("1×8×8"))
    }
  }

  @Test func visionConfigProblemsAreNamed() throws {
    let base = """
      {"architecture": "vit", "d_model": 24, "num_heads": 3, "ffn_dim": 40, "encoder_layers": 1,
       "max_positions": 17, "positional": "sincos-2d", "norm": "post", "activation": "relu",
       "vision": {"image_size": 8, "patch_size": 2, "num_channels": 1, "class_names": ["a", "b"]}}
      """
    func problem(_ replace: String, _ with: String) -> String? {
      let json = base.replacingOccurrences(of: replace, with: with)
      do {
        try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8)).validate()
        return nil
      } catch { return "\(error)" }
    }
    #expect(problem("", "") == nil)
    #expect(problem("\"patch_size\": 2", "\"patch_size\": 3")?.contains("does not divide") == true)
    #expect(problem("\"max_positions\": 17", "\"max_positions\": 16")?.contains("patches + 1 = 17") == true)
    #expect(problem("\"num_channels\": 1", "\"num_channels\": 2")?.contains("1 or 3") == true)
    #expect(problem("[\"a\", \"b\"]", "[]")?.contains("class_names") == true)
    #expect(problem("\"d_model\": 24", "\"d_model\": 20")?.contains("num_heads") == true)
    #expect(problem("\"sincos-2d\"", "\"sinusoidal\"")?.contains("learned") == true)
  }
}
