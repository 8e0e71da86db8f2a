// The binary's headless commands: JSON/CSV/ANSI attention, one-line errors, pinned --help.
import Foundation
import Testing

/// Runs `executable` with `arguments` in `directory`; stdin is /dev/null.
func runProgram(
  _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
) throws -> (status: Int32, output: String, errors: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = directory }
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  let (output, errors) = (Pipe(), Pipe())
  (process.standardOutput, process.standardError) = (output, errors)
  process.standardInput = FileHandle.nullDevice
  try process.run()
  let outputData = output.fileHandleForReading.readDataToEndOfFile()
  let errorData = errors.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (
    process.terminationStatus, String(decoding: outputData, as: UTF8.self),
    String(decoding: errorData, as: UTF8.self)
  )
}

/// Runs the built binary (or `executable`) and returns (status, stdout, stderr).
func runBinary(
  _ arguments: [String], environment overrides: [String: String] = [:], executable: String? = nil
) throws -> (status: Int32, output: String, errors: String) {
  try runProgram(executable ?? TmuxSession.binaryPath(), arguments, environment: overrides)
}

@Suite struct HeadlessTests {
  @Test func jsonListsEveryKindForEveryLayer() throws {
    let run = try runBinary(["attention", "--format", "json"])
    #expect(run.status == 0, "\(run.errors)")
    let json = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as! [String: Any]
    #expect(json["model"] as? String == "en-it")
    let tokens = json["tokens"] as! [String: [String]]
    #expect(tokens["encoder"] == ["i", "love", "you", "very", "much", "</s>"])
    #expect(tokens["decoder"] == ["<s>", "ti", "amo", "molto"])
    let entries = json["attention"] as! [[String: Any]]
    let kinds = Set(entries.map { "\($0["stack"]!) \($0["kind"]!) \($0["layer"]!)" })
    #expect(kinds == ["encoder self 0", "encoder self 1", "decoder masked 0", "decoder cross 0"])
    let cross = entries.first { $0["kind"] as? String == "cross" }!
    let weights = cross["weights"] as! [[[Double]]]
    #expect(weights.count == 4 && weights[0].count == 4 && weights[0][0].count == 6)  // [head][query][key]
    let masked = entries.first { $0["kind"] as? String == "masked" }!
    let scores = masked["scores"] as! [[[Any]]]
    #expect(scores[0][0][1] is NSNull, "a masked score is null")
  }

  @Test func csvAndAnsi() throws {
    let csv = try runBinary([
      "attention", "--format", "csv", "--text", "I see the cat", "--target", "vedo il gatto",
    ])
    let lines = csv.output.split(separator: "\n")
    #expect(lines.first == "stack,kind,layer,head,query_index,query,key_index,key,weight,score")
    // 4 heads; encoder self 5×5 in 2 layers, masked 4×4 and cross 4×5 in 1 decoder layer
    #expect(lines.count == 1 + 4 * (2 * 25 + 16 + 20))
    let ansi = try runBinary(["attention", "--format", "ansi", "--color", "24bit"])
    #expect(ansi.output.contains("\u{1B}[0;48;2;"))
    #expect(ansi.output.contains("decoder cross, layer 1, head 4/4"))
  }

  @Test func badInputIsOneLineAndExitStatusOne() throws {
    let cases: [([String], String)] = [
      (["attention", "--text", ""], "attnscope: the input is empty: nothing to show\n"),
      (
        ["attention", "--model", "nope"],
        "attnscope: unknown model 'nope': not a folder, and not a bundled sample"
      ),
      (["attention", "--model", "/tmp"], "attnscope: config.json: cannot read /tmp/config.json\n"),
    ]
    for (arguments, message) in cases {
      let run = try runBinary(arguments)
      #expect(run.status == 1)
      #expect(run.errors.hasPrefix(message), "\(run.errors)")
      #expect(run.errors.split(separator: "\n").count == 1)
      #expect(run.output.isEmpty)
    }
  }

  @Test func unknownWordsAndTruncationAreNoticed() throws {
    let long = Array(repeating: "cat", count: 100).joined(separator: " ")
    let run = try runBinary(["attention", "--text", "I love zebras " + long, "--format", "csv"])
    #expect(run.status == 0)
    #expect(run.errors.contains("not in the vocabulary, shown as <unk>: zebras"))
    #expect(run.errors.contains("input truncated from 103 to 31 tokens"))
  }
}
