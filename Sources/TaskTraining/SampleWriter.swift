// Writes a trained model as a sample folder: config, weights, vocabularies, metrics and a README
// that records how to reproduce it.
import Foundation
import Tokenization
import Transformer

public enum SampleWriter {
  /// Creates `folder` if needed and writes every file; the error names the file that failed.
  public static func write(
    to folder: String, config: ModelConfig, parameters: ParameterStore, data: TaskData,
    metadata: [String: String]
  ) throws(ModelError) {
    let vocabularies =
      config.architecture == .encoderDecoder
      ? [
        ("source_vocab.txt", vocabularyFile(data.source)), ("target_vocab.txt", vocabularyFile(data.target)),
      ]
      : [("vocab.txt", vocabularyFile(data.target))]
    try write(
      to: folder, config: config, parameters: parameters, metadata: metadata, extraFiles: vocabularies)
  }

  /// Config and weights (and `extraFiles`), for models without vocabularies such as a ViT.
  public static func write(
    to folder: String, config: ModelConfig, parameters: ParameterStore, metadata: [String: String],
    extraFiles: [(String, Data)] = []
  ) throws(ModelError) {
    let url = URL(fileURLWithPath: folder)
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw ModelError("\(folder): cannot create the folder (\(error.localizedDescription))")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let configData: Data
    do { configData = try encoder.encode(config) } catch { throw ModelError("config.json: \(error)") }
    let files: [(String, Data)] =
      [
        ("config.json", configData + Data("\n".utf8)),
        ("model.safetensors", Data(try parameters.serialized(metadata: metadata))),
      ] + extraFiles
    for (name, contents) in files {
      // Write then rename, so an interrupted save never leaves a half-written file behind.
      let path = url.appendingPathComponent(name)
      do { try contents.write(to: path, options: .atomic) } catch {
        throw ModelError("\(path.path): cannot write (\(error.localizedDescription))")
      }
    }
  }

  static func vocabularyFile(_ vocabulary: Vocabulary) -> Data {
    Data((vocabulary.tokens.joined(separator: "\n") + "\n").utf8)
  }

  /// The sample's README: task, command, seed, time, metrics.
  public static func readme(
    name: String, task: String, command: String, seed: UInt64, steps: Int, seconds: Double,
    metrics: TaskMetrics, config: ModelConfig
  ) -> String {
    """
    # \(name)

    \(config.description ?? task). Trained by attnscope itself on the built-in `\(task)` task.

    Reproduce:

        \(command)

    | | |
    |---|---|
    | seed | \(seed) |
    | steps | \(steps) |
    | training time | \(String(format: "%.0f", seconds)) s on 2 cores (Debian, OpenBLAS) |
    | architecture | \(config.architecture.rawValue), \(config.encoderLayers)+\(config.decoderLayers) layers, d_model \(config.dModel), \(config.numHeads) heads, \(config.norm.rawValue)-norm |

    Held-out metrics (`attnscope eval \(name)`):

        \(metrics.summary)
    """
  }
}
