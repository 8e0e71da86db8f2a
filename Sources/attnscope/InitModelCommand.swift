// `attnscope init-model`: writes seeded random weights for a folder's config.json, so untrained
// samples are reproducible from a recorded seed.
import ArgumentParser
import Foundation
import Transformer

struct InitModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init-model",
    abstract: "Write random model.safetensors for the config.json in a folder.")

  @Argument(help: "A folder holding config.json (and its vocabulary files).")
  var folder: String

  @Option(help: "Random seed.")
  var seed: UInt64 = 1

  func run() throws {
    do {
      let configPath = folder + "/config.json"
      let config = try ModelConfig.load(path: configPath)
      try config.validate()
      let parameters = ParameterStore(randomFor: config, seed: seed)
      let bytes = try parameters.serialized(metadata: ["seed": String(seed), "trained": "false"])
      let path = folder + "/model.safetensors"
      guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
        throw UserFacingError(description: "cannot write \(path)")
      }
      Output.line("wrote \(path) (\(bytes.count) bytes, seed \(seed))")
    } catch {
      exitWithMessage(error)
    }
  }
}
