// Non-finite numbers (RELIABILITY.md, class 2): a NaN or ±∞ weight is refused at load, naming the
// tensor, by every loader (attnscope's text and ViT sample folders, Hugging Face BERT, GPT-2,
// Marian and ViT folders); scores that overflow at run time stop decoding with the step named;
// and an overflowing trace still exports, with null in the JSON.
import Decoding
import Foundation
import Safetensors
import Testing
import Trace
import Transformer
import Workbench

@Suite struct NonFiniteTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static let folders: [(name: String, url: URL, vision: Bool)] = [
    ("en-it", repository.appendingPathComponent("samples/models/en-it"), false),
    ("shapes-vit", repository.appendingPathComponent("samples/models/shapes-vit"), true),
    ("bert", HFFixtures.folder("bert"), false),
    ("gpt2", HFFixtures.folder("gpt2"), false),
    ("marian", HFFixtures.folder("marian"), false),
    ("vit", HFFixtures.folder("vit"), true),
  ]

  /// A copy of `source` whose model.safetensors has `value` in the middle of its first weight
  /// matrix (by name); returns the folder and that tensor's name.
  static func poisoned(_ source: URL, _ value: Float) throws -> (URL, String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nonfinite-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: source, to: folder)
    let url = folder.appendingPathComponent("model.safetensors")
    let file = try SafetensorsFile.load(path: url.path)
    var writer = SafetensorsWriter(metadata: file.metadata)
    let target = file.tensorsInOrder.map(\.name).sorted().first { name in
      name.hasSuffix("weight") && (try? file.info(name).shape.count) == 2
    }!
    for info in file.tensorsInOrder {
      switch info.dtype {
      case .f16, .bf16, .f32, .f64:
        var floats = try file.floats(info.name)
        if info.name == target { floats[floats.count / 2] = value }
        try writer.add(info.name, shape: info.shape, floats: floats)
      default:
        try writer.add(info.name, shape: info.shape, int64s: try file.integers(info.name).map { Int64($0) })
      }
    }
    try Data(writer.serialize()).write(to: url)
    return (folder, target)
  }

  static func loadMessage(_ folder: URL, vision: Bool) -> String {
    do {
      if vision {
        _ = try LoadedVisionModel(folder: folder.path)
      } else {
        _ = try LoadedModel(folder: folder.path)
      }
      return "loaded"
    } catch {
      return error.description
    }
  }

  @Test(arguments: [Float.nan, .infinity, -.infinity])
  func everyLoaderRefusesNonFiniteWeights(value: Float) throws {
    let what = value.isNaN ? "NaN" : value > 0 ? "+infinity" : "-infinity"
    for (name, source, vision) in Self.folders {
      let (folder, tensor) = try Self.poisoned(source, value)
      defer { try? FileManager.default.removeItem(at: folder) }
      let message = Self.loadMessage(folder, vision: vision)
      #expect(
        message.contains("model.safetensors: tensor '\(tensor)': \(what) at element"), "\(name): \(message)")
      #expect(!message.contains("\n"), "\(name): one line")
    }
  }

  /// Finite but huge weights load (they are numbers), then overflow: every strategy stops with the
  /// step named instead of printing "nan" or nothing; the trace exports with nulls and a notice.
  @Test func overflowingActivationsAreReportedNotPrinted() throws {
    let (folder, _) = try Self.poisoned(Self.folders[0].url, 0.5)
    defer { try? FileManager.default.removeItem(at: folder) }
    // Every weight huge, so the activations overflow whatever the input.
    let url = folder.appendingPathComponent("model.safetensors")
    let file = try SafetensorsFile.load(path: url.path)
    var writer = SafetensorsWriter(metadata: file.metadata)
    for info in file.tensorsInOrder {
      try writer.add(info.name, shape: info.shape, floats: try file.floats(info.name).map { $0 * 1e37 })
    }
    try Data(writer.serialize()).write(to: url)
    let model = try LoadedModel(folder: folder.path)
    let text = model.config.defaultText ?? "the cat"

    let traced = try model.trace(text: text, target: "il gatto")
    #expect(traced.notices.contains { $0.contains("non-finite attention values") }, "\(traced.notices)")
    let json = try JSONEncoder().encode(traced.trace)
    #expect(String(decoding: json, as: UTF8.self).contains("null"))
    let decoded = try JSONDecoder().decode(AttentionTrace.self, from: json)
    #expect(decoded.attention.count == traced.trace.attention.count)

    let source = try model.decodingSource(text: text)
    let options = DecodingOptions(startToken: source.firstToken, endToken: model.endID, maxLength: 5)
    let step = model.generationStepModel(source, cached: true, maxLength: 5)
    func failure(_ body: () throws -> DecodingResult) -> String {
      do {
        let result = try body()
        return "decoded \(result.hypotheses.count) hypotheses"
      } catch { return String(describing: error) }
    }
    for message in [
      failure { try GreedySearch.decode(step, options: options) },
      failure { try BeamSearch.decode(step, width: 3, options: options) },
      failure { try Sampling.decode(step, processors: [], seed: 1, options: options) },
      failure { try model.beamSearch(source, width: 3, alpha: nil, options: options, cached: true) },
    ] {
      #expect(message.contains("the model produced non-finite scores at step 1"), "\(message)")
    }
  }
}
