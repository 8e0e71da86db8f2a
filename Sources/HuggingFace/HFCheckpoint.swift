// The weights of a Hugging Face folder: model.safetensors, or the shards a
// model.safetensors.index.json lists. PyTorch pickles (pytorch_model.bin and other .bin files) are
// refused by name and never opened: unpickling runs arbitrary code.
import Foundation
import Safetensors
import Tensors
import Transformer

/// Tensors looked up by name across one or more safetensors files.
struct HFCheckpoint: Sendable {
  let files: [SafetensorsFile]
  /// Which file holds each tensor.
  let owner: [String: Int]

  var names: [String] { Array(owner.keys) }
  /// "model.safetensors" or "model-0000x-of-0000y.safetensors (sharded)", for messages.
  var displayName: String { files.count == 1 ? files[0].fileName : "the sharded checkpoint" }

  func contains(_ name: String) -> Bool { owner[name] != nil }

  func shape(_ name: String) throws(ModelError) -> [Int] {
    do { return try files[owner[name]!].info(name).shape } catch { throw ModelError(error.description) }
  }

  func floats(_ name: String) throws(ModelError) -> [Float] {
    do { return try files[owner[name]!].finiteFloats(name) } catch { throw ModelError(error.description) }
  }

  /// A 16-bit tensor's format and bit patterns as stored (kept 16-bit in memory); nil for other dtypes.
  func halfBits(_ name: String) throws(ModelError) -> (format: HalfPrecisionRows.Format, bits: [UInt16])? {
    do {
      let file = files[owner[name]!]
      let format: HalfPrecisionRows.Format
      switch try file.info(name).dtype {
      case .bf16: format = .bfloat16
      case .f16: format = .float16
      default: return nil
      }
      return try file.finiteHalfBits(name).map { (format, $0) }
    } catch { throw ModelError(error.description) }
  }

  static func load(folder: URL) throws(ModelError) -> HFCheckpoint {
    let fm = FileManager.default
    func exists(_ name: String) -> Bool { fm.fileExists(atPath: folder.appendingPathComponent(name).path) }
    if exists("model.safetensors") {
      let file = try open(folder, "model.safetensors")
      return HFCheckpoint(files: [file], owner: index(file, 0))
    }
    if exists("model.safetensors.index.json") { return try loadShards(folder) }
    let contents = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
    if let pickle = contents.sorted().first(where: {
      $0.hasSuffix(".bin") || $0.hasSuffix(".pt") || $0.hasSuffix(".pth")
    }) {
      throw ModelError(
        "\(folder.lastPathComponent): \(pickle) is a PyTorch pickle, which attnscope never unpickles; "
          + "convert it to model.safetensors (transformers: save_pretrained(..., safe_serialization=True))")
    }
    if let other = contents.sorted().first(where: { $0.hasSuffix(".h5") || $0.hasSuffix(".msgpack") }) {
      throw ModelError(
        "\(folder.lastPathComponent): \(other) (TensorFlow/Flax weights) is not supported; need model.safetensors"
      )
    }
    throw ModelError("\(folder.lastPathComponent): missing model.safetensors")
  }

  /// model.safetensors.index.json: {"weight_map": {tensor: shard file}}; every shard is opened and
  /// must hold exactly the tensors the map gives it.
  static func loadShards(_ folder: URL) throws(ModelError) -> HFCheckpoint {
    let index = try HFJSON.load(folder, "model.safetensors.index.json")
    guard let map = index.value["weight_map"]?.objectMembers else {
      throw ModelError("model.safetensors.index.json: missing \"weight_map\"")
    }
    var shardNames: [String] = []
    var expected: [String: String] = [:]
    for member in map {
      guard let shard = member.value.stringValue, !shard.contains("/"), shard.hasSuffix(".safetensors") else {
        throw ModelError(
          "model.safetensors.index.json: tensor '\(member.key)' must name a .safetensors file in the folder")
      }
      if !shardNames.contains(shard) { shardNames.append(shard) }
      expected[member.key] = shard
    }
    var files: [SafetensorsFile] = []
    var owner: [String: Int] = [:]
    for (number, shard) in shardNames.enumerated() {
      let file = try open(folder, shard)
      for info in file.tensorsInOrder {
        guard expected[info.name] == shard else {
          throw ModelError(
            "\(shard): tensor '\(info.name)' is not assigned to it by model.safetensors.index.json")
        }
        owner[info.name] = number
      }
      files.append(file)
    }
    if let lost = expected.keys.sorted().first(where: { owner[$0] == nil }) {
      throw ModelError("\(expected[lost]!): missing tensor '\(lost)' listed in model.safetensors.index.json")
    }
    return HFCheckpoint(files: files, owner: owner)
  }

  static func open(_ folder: URL, _ name: String) throws(ModelError) -> SafetensorsFile {
    let path = folder.appendingPathComponent(name).path
    guard FileManager.default.fileExists(atPath: path) else {
      throw ModelError("\(folder.lastPathComponent): missing \(name)")
    }
    do { return try SafetensorsFile.load(path: path) } catch { throw ModelError(error.description) }
  }

  static func index(_ file: SafetensorsFile, _ number: Int) -> [String: Int] {
    Dictionary(file.tensorsInOrder.map { ($0.name, number) }, uniquingKeysWith: { first, _ in first })
  }
}
