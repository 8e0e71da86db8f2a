// The real binary on the hardening classes (RELIABILITY.md): text from model files sanitised on
// every output path, numbers outside their domain named with their flag, --layer refused the same
// way by the viewer and `attention`, and --target's notice. (A crash that ends at once:
// CrashExitTests.swift.)
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct HardeningHeadlessTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// en-it with hostile text in its files: an `ESC c` (full reset) and a C1 CSI in default_text
  /// (unknown words, so they reach the notice), and a C1 CSI and a bidi override inside the target
  /// vocabulary's "amo" (printed by plain `decode`).
  static func hostileModel() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
    try FileManager.default.copyItem(
      at: repository.appendingPathComponent("samples/models/en-it"), to: folder)
    let config = folder.appendingPathComponent("config.json")
    var object = try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as! [String: Any]
    object["default_text"] = "i love \u{1B}c you \u{9B}2J very much"
    try JSONSerialization.data(withJSONObject: object).write(to: config)
    let vocabulary = folder.appendingPathComponent("target_vocab.txt")
    let lines = try String(contentsOf: vocabulary, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false)
    try lines.map { $0 == "amo" ? "a\u{9B}m\u{202E}o" : String($0) }.joined(separator: "\n")
      .write(to: vocabulary, atomically: true, encoding: .utf8)
    return folder
  }

  static func isClean(_ text: String) -> Bool {
    !text.unicodeScalars.contains {
      ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
        || (0x202A...0x202E).contains($0.value)
    }
  }

  @Test func textFromModelFilesIsSanitisedOnEveryPath() throws {
    let folder = try Self.hostileModel()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Plain decode: the vocabulary piece on stdout, the unknown words in the notice on stderr.
    let decode = try runBinary(["decode", "--model", folder.path])
    #expect(decode.status == 0, "\(decode.errors)")
    #expect(
      Self.isClean(decode.output) && Self.isClean(decode.errors),
      "\(decode.output.debugDescription) \(decode.errors.debugDescription)")
    #expect(decode.output.contains("a\\u{9B}m\\u{202E}o"), "\(decode.output)")
    #expect(decode.errors.contains("^[c"), "\(decode.errors)")
    // CSV and JSON carry the same labels.
    let csv = try runBinary(["attention", "--model", folder.path, "--format", "csv"])
    #expect(csv.status == 0 && Self.isClean(csv.output) && Self.isClean(csv.errors))
    let json = try runBinary(["attention", "--model", folder.path, "--format", "json"])
    #expect(json.status == 0 && Self.isClean(json.output))
    // Still the same data for a JSON reader: the C1 and bidi characters are \u escapes.
    let decodeJSON = try runBinary(["decode", "--model", folder.path, "--json"])
    #expect(decodeJSON.status == 0 && Self.isClean(decodeJSON.output))
    let object = try JSONSerialization.jsonObject(with: Data(decodeJSON.output.utf8)) as! [String: Any]
    let best = (object["hypotheses"] as! [[String: Any]])[0]["tokens"] as! [String]
    #expect(best.contains("a\u{9B}m\u{202E}o"), "\(best)")
    for format in ["ansi", "svg"] {
      let run = try runBinary(["attention", "--model", folder.path, "--format", format])
      #expect(
        run.status == 0
          && !run.output.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || $0.value == 0x202E })
    }
    // An error line naming a hostile folder: C1 controls no longer pass.
    let missing = try runBinary(["attention", "--model", "/nonexistent/\u{9B}2J\u{1B}c"])
    #expect(missing.status == 1 && Self.isClean(missing.errors), "\(missing.errors.debugDescription)")
  }

  @Test func layerIsRefusedAliketheViewerAndAttention() throws {
    let expected = "attnscope: --layer 999 is out of range: en-it has layers 1–2\n"
    let attention = try runBinary(["attention", "--layer", "999"])
    #expect(attention.status == 1 && attention.errors == expected, "\(attention.errors)")
    // The viewer refuses it before it takes the terminal (it used to clamp to the last layer).
    let view = try runBinary(["view", "--layer", "999"])
    #expect(view.status == 1 && view.errors == expected, "\(view.errors)")
    let zero = try runBinary(["view", "--layer", "0"])
    #expect(zero.status == 1 && zero.errors == "attnscope: --layer must be an integer of at least 1, got 0\n")
    let head = try runBinary(["attention", "--head", "9"])
    #expect(head.status == 1 && head.errors.contains("--head 9 is out of range"), "\(head.errors)")
  }

  @Test func targetIgnoredIsSaid() throws {
    let run = try runBinary(["attention", "--model", "induction", "--target", "t1 t2", "--format", "csv"])
    #expect(run.status == 0)
    #expect(run.errors.contains("--target ignored: induction is decoder-only"), "\(run.errors)")
    let translate = try runBinary(["attention", "--target", "ti amo", "--format", "csv"])
    #expect(!translate.errors.contains("--target ignored"))
  }

  @Test func countsHaveDomains() throws {
    let steps = try runBinary(["train", "reverse", "--steps", "9223372036854775807"])
    #expect(steps.status == 1)
    #expect(
      steps.errors == "attnscope: --steps must be an integer from 1 to 10000000, got 9223372036854775807\n")
    let examples = try runBinary(["eval", "en-it", "--examples", "0"])
    #expect(examples.status == 1 && examples.errors.contains("--examples must be an integer from 1"))
    let top = try runBinary(["classify", "--top", "0"])
    #expect(top.status == 1 && top.errors.contains("--top must be an integer from 1"))
  }
}

/// A copy of en-it whose first F32 tensor (by name) starts with a NaN, patched in the raw bytes
/// (8-byte header length, JSON header, data); returns the folder and the tensor's name.
func nanModel() throws -> (URL, String) {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nan-\(UUID().uuidString)")
  try FileManager.default.copyItem(
    at: HardeningHeadlessTests.repository.appendingPathComponent("samples/models/en-it"), to: folder)
  let url = folder.appendingPathComponent("model.safetensors")
  var bytes = [UInt8](try Data(contentsOf: url))
  let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
  let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as! [String: Any]
  let name = header.keys.filter { $0 != "__metadata__" }.sorted().first {
    ((header[$0] as! [String: Any])["dtype"] as? String) == "F32"
  }!
  let begin = ((header[name] as! [String: Any])["data_offsets"] as! [Int])[0]
  bytes.replaceSubrange(
    (8 + headerLength + begin)..<(8 + headerLength + begin + 4), with: [0, 0, 0xC0, 0x7F])
  try Data(bytes).write(to: url)
  return (folder, name)
}

extension HardeningHeadlessTests {
  @Test func nanWeightsAreRefusedAtLoad() throws {
    let (folder, tensor) = try nanModel()
    defer { try? FileManager.default.removeItem(at: folder) }
    let expected =
      "attnscope: model.safetensors: tensor '\(tensor)': NaN at element 0; weights must be finite numbers\n"
    for command in [["attention", "--format", "json"], ["decode"], ["decode", "--strategy", "beam"]] {
      let run = try runBinary(command + ["--model", folder.path])
      #expect(run.status == 1 && run.errors == expected && run.output.isEmpty, "\(command): \(run.errors)")
    }
  }
}

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct HardeningViewerTests {
  /// A model with a NaN weight opened from inside the viewer: refused on one line, the previous
  /// model stays on screen.
  @Test func nanModelKeepsThePreviousOne() throws {
    let (folder, tensor) = try nanModel()
    defer { try? FileManager.default.removeItem(at: folder) }
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath()], width: 160, height: 30)
    try tmux.waitFor("│ encoder self │")
    try tmux.sendKeys("o")
    try tmux.waitFor("open model (name or folder):")
    try tmux.sendLiteral(folder.path)
    try tmux.sendKeys("Enter")
    let refused = try tmux.waitFor("could not open")
    #expect(refused.contains("tensor '\(tensor)': NaN at element 0"), "\(refused)")
    #expect(refused.contains("English→Italian") && refused.contains("│ encoder self │"))
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
  }
}

/// A copy of a sample with every F32 weight multiplied by `factor` (finite, so it loads) in the raw
/// bytes: with 1e37 the activations overflow to NaN and ∞ on the first layer.
func scaledModel(_ sample: String, by factor: Float) throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scaled-\(UUID().uuidString)")
  try FileManager.default.copyItem(
    at: HardeningHeadlessTests.repository.appendingPathComponent("samples/models/\(sample)"), to: folder)
  let url = folder.appendingPathComponent("model.safetensors")
  var bytes = [UInt8](try Data(contentsOf: url))
  let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
  let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as! [String: Any]
  for (name, entry) in header where name != "__metadata__" {
    let entry = entry as! [String: Any]
    guard entry["dtype"] as? String == "F32" else { continue }
    let offsets = entry["data_offsets"] as! [Int]
    for offset in stride(from: 8 + headerLength + offsets[0], to: 8 + headerLength + offsets[1], by: 4) {
      let bits = bytes[offset..<(offset + 4)].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
      let scaled = (Float(bitPattern: bits) * factor).bitPattern
      for byte in 0..<4 { bytes[offset + byte] = UInt8(truncatingIfNeeded: scaled >> (8 * byte)) }
    }
  }
  try Data(bytes).write(to: url)
  return folder
}

extension HardeningHeadlessTests {
  /// The brief's examples: an overflowing model no longer crashes `classify`, fails JSON with a raw
  /// EncodingError, or prints "nan nan" / nothing from `decode`.
  @Test func overflowingModelsAreReportedNotCrashed() throws {
    let text = try scaledModel("en-it", by: 1e37)
    let vision = try scaledModel("shapes-vit", by: 1e37)
    defer {
      try? FileManager.default.removeItem(at: text)
      try? FileManager.default.removeItem(at: vision)
    }
    let json = try runBinary(["attention", "--model", text.path, "--target", "ti amo", "--format", "json"])
    #expect(json.status == 0 && json.errors.contains("non-finite attention values"), "\(json.errors)")
    #expect((try? JSONSerialization.jsonObject(with: Data(json.output.utf8))) != nil, "valid JSON")
    for strategy in ["greedy", "beam", "sample"] {
      let run = try runBinary(["decode", "--model", text.path, "--strategy", strategy])
      #expect(run.status == 1 && run.output.isEmpty, "\(strategy): \(run.output)")
      #expect(
        run.errors.hasSuffix(
          "attnscope: the model produced non-finite scores at step 1 (NaN log-probabilities: its activations overflowed)\n"
        ), "\(strategy): \(run.errors)")
    }
    let classify = try runBinary(["classify", "--model", vision.path])
    #expect(classify.status == 0 && classify.errors.contains("non-finite class scores"), "\(classify.errors)")
    let classifyJSON = try runBinary(["classify", "--model", vision.path, "--json"])
    #expect(classifyJSON.status == 0 && classifyJSON.output.contains("null"), "\(classifyJSON.output)")
    let visionJSON = try runBinary(["attention", "--model", vision.path, "--format", "json"])
    #expect(visionJSON.status == 0 && visionJSON.errors.contains("non-finite attention values"))
  }
}
