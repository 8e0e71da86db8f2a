// `attention --format json|csv` writes as it goes: its bytes are those main wrote before streaming
// (Golden/export, recorded from main's binary before the change) on every kind of model; `--output`
// writes the same bytes to a file, and a full disk leaves neither a partial file nor a temporary one.
import Foundation
import Testing

@Suite struct ExportStreamTests {
  static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden/export")
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("HuggingFaceTests/Fixtures")

  /// Golden file → the arguments that wrote it.
  static let cases: [(String, [String])] = [
    ("en-it.json", ["--format", "json"]),
    ("en-it.csv", ["--format", "csv", "--text", "I see the cat", "--target", "vedo il gatto"]),
    ("induction.json", ["--model", "induction", "--format", "json"]),
    (
      "gpt2.json",
      ["--model", fixture("gpt2"), "--format", "json", "--text", "hello world, a cat sat on the mat"]
    ),
    (
      "gpt2.csv", ["--model", fixture("gpt2"), "--format", "csv", "--text", "hello world, a cat, \"quoted\""]
    ),
    ("qwen2.json", ["--model", fixture("llm/qwen2"), "--format", "json", "--text", "hello world, a cat"]),
    (
      "gemma3.json",
      ["--model", fixture("llm/gemma3"), "--format", "json", "--text", "hello world, a cat sat"]
    ),
    ("bert.json", ["--model", fixture("bert"), "--format", "json", "--text", "hello world"]),
    (
      "qwen2-layer2-head3.json",
      [
        "--model", fixture("llm/qwen2"), "--format", "json", "--text", "hello world, a cat", "--layer", "2",
        "--head", "3",
      ]
    ),
    (
      "gpt2-head2.csv",
      ["--model", fixture("gpt2"), "--format", "csv", "--text", "hello world", "--head", "2"]
    ),
    ("marian.json", ["--model", fixture("marian"), "--format", "json", "--text", "hello world"]),
  ]

  static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

  @Test(arguments: cases.map(\.0))
  func streamedExportIsByteIdenticalToMains(name: String) throws {
    let arguments = Self.cases.first { $0.0 == name }!.1
    // The goldens were main's output before streaming (commit 8e4221e), identical then; since
    // attnscope has its own GEMM, they are re-recorded (ATTNSCOPE_RECORD_SNAPSHOTS=1) with its
    // portable kernel forced, so the last digits do not depend on the BLAS or the CPU's vector unit.
    let environment = ["ATTNSCOPE_GEMM": "portable"]
    let goldenFile = Self.golden.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["ATTNSCOPE_RECORD_SNAPSHOTS"] != nil {
      try Data(try runBinary(["attention"] + arguments, environment: environment).output.utf8).write(to: goldenFile)
    }
    let expected = try Data(contentsOf: goldenFile)
    let run = try runBinary(["attention"] + arguments, environment: environment)
    #expect(run.status == 0, "\(run.errors)")
    #expect(Data(run.output.utf8) == expected, "\(name): \(run.output.utf8.count) bytes vs \(expected.count)")
    // The same bytes through --output, and nothing left beside the file.
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent(name)
    let written = try runBinary(["attention"] + arguments + ["--output", file.path], environment: environment)
    #expect(written.status == 0 && written.output.isEmpty, "\(written.errors)")
    #expect(try Data(contentsOf: file) == expected)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [name])
  }

  func scratchDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  @Test func anUnwritableDestinationIsOneLine() throws {
    let run = try runBinary(["attention", "--output", "/nonexistent-dir/out.json"])
    #expect(run.status == 1)
    #expect(run.errors == "attnscope: cannot write /nonexistent-dir/out.json: No such file or directory\n")
  }

  /// A 64 KB tmpfs (root can mount one; the CI containers run as root).
  static let canMount: Bool = {
    let probe = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfs-probe-\(getpid())")
    try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: probe) }
    guard getuid() == 0, shell("mount -t tmpfs -o size=64k tmpfs '\(probe.path)'") == 0 else { return false }
    return shell("umount '\(probe.path)'") == 0
  }()

  @discardableResult static func shell(_ command: String) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command + " 2>/dev/null"]
    guard (try? process.run()) != nil else { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
  }

  @Test(.enabled(if: canMount, "mounting a small tmpfs needs root"))
  func aFullDiskLeavesNoPartialFile() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(Self.shell("mount -t tmpfs -o size=64k tmpfs '\(directory.path)'") == 0)
    defer { Self.shell("umount '\(directory.path)'") }
    let file = directory.appendingPathComponent("out.json")
    try Data("an older export\n".utf8).write(to: file)
    // The en-it trace with every vector is about 100 KB: more than the disk holds.
    let run = try runBinary(["attention", "--output", file.path])
    #expect(run.status == 1)
    #expect(run.errors == "attnscope: cannot write \(file.path): No space left on device\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.json"])
    #expect(try String(contentsOf: file, encoding: .utf8) == "an older export\n", "the old file stays whole")
  }

  /// The qwen2 fixture with 8,192 positions: tiny weights, but 8,192² attention per head (268 MB).
  func longQwen2() throws -> URL {
    let folder = try scratchDirectory()
    for name in try FileManager.default.contentsOfDirectory(atPath: Self.fixture("llm/qwen2")) {
      try FileManager.default.copyItem(
        atPath: Self.fixture("llm/qwen2") + "/" + name, toPath: folder.appendingPathComponent(name).path)
    }
    let config = folder.appendingPathComponent("config.json")
    let text = try String(contentsOf: config, encoding: .utf8)
    try text.replacingOccurrences(
      of: "\"max_position_embeddings\": 256", with: "\"max_position_embeddings\": 8192"
    )
    .write(to: config, atomically: true, encoding: .utf8)
    return folder
  }

  @Test(arguments: [400_000, 600_000, 1_000_000])
  func memoryLimitIsOneLine(kilobytes: Int) throws {
    let folder = try longQwen2()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = String(repeating: "hello world ", count: 3000)
    let run = try runBinary(
      [
        "-c", "ulimit -v \(kilobytes) && exec \"$0\" \"$@\"", TmuxSession.binaryPath(), "attention",
        "--model", folder.path, "--text", text, "--layer", "1", "--head", "1", "--output",
        folder.path + "/out.json",
      ], executable: "/bin/sh")
    #expect(run.status == 1, "\(run.errors)")
    let lines = run.errors.split(separator: "\n").filter { !$0.contains("input truncated") }
    #expect(lines.count == 1 && lines[0].hasPrefix("attnscope: out of memory: "), "\(run.errors)")
    #expect(lines.first?.contains("(ulimit -v) leaves") == true)
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/out.json"))
  }
}
