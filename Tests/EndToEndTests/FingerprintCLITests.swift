// `attnscope heads` and `attnscope contrast` through the binary: the JSON's shape and the samples'
// known heads, and every bad input as one line with exit status 1.
import Foundation
import Testing

@Suite struct FingerprintCLITests {
  func json(_ output: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
  }

  @Test func headsJSONFindsTheInductionHead() throws {
    let run = try runBinary(["heads", "--model", "induction", "--json"])
    #expect(run.status == 0, "\(run.errors)")
    let report = try json(run.output)
    let probe = try #require(report["induction_probe"] as? [String: Any])
    #expect(probe["seed"] as? Int == 0 && probe["half_length"] as? Int == 10)
    #expect((probe["ids"] as? [Int])?.count == 21, "<s> + 10 + 10")
    let heads = try #require(report["heads"] as? [[String: Any]])
    #expect(heads.count == 2 * 4)
    let best = heads.max {
      (($0["metrics"] as! [String: Double])["induction"] ?? 0)
        < (($1["metrics"] as! [String: Double])["induction"] ?? 0)
    }!
    #expect(best["layer"] as? Int == 1 && best["head"] as? Int == 2)
    let metrics = best["metrics"] as! [String: Double]
    #expect(Set(metrics.keys) == ["entropy", "sink", "previous_token", "self", "induction"])
  }

  @Test func headsTableHasOneRowPerHead() throws {
    let run = try runBinary(["heads", "--model", "reverse"])
    #expect(run.status == 0, "\(run.errors)")
    let lines = run.output.split(separator: "\n")
    #expect(lines.first?.hasPrefix("stack    kind    layer head  entropy") == true)
    // encoder self 2×4, decoder masked 2×4, decoder cross 2×4
    #expect(lines.count == 1 + 24)
    #expect(lines.contains { $0.hasPrefix("decoder  cross       2    1") })
  }

  @Test func contrastJSONHasACosinePerDepthAndBothRowsPerHead() throws {
    let run = try runBinary([
      "contrast", "--model", "en-it", "--text", "the red cat sees the dog", "--text",
      "the dog sees the red cat",
      "--word", "cat", "--json",
    ])
    #expect(run.status == 0, "\(run.errors)")
    let report = try json(run.output)
    let cosine = try #require(report["cosine"] as? [Double])
    #expect(cosine.count == 3, "embeddings + 2 encoder layers")
    let inputs = try #require(report["inputs"] as? [[String: Any]])
    #expect(inputs.map { $0["position"] as? Int } == [2, 5])
    let attention = try #require(report["attention"] as? [[String: Any]])
    #expect(attention.count == 2 * 4)
    let first = try #require(attention.first)
    #expect((first["first"] as? [Double])?.count == 7 && (first["second"] as? [Double])?.count == 7)
    // The same word at its own position: the embeddings differ only by the position table.
    #expect(cosine[0] < 1 && cosine[0] > 0)
  }

  @Test func badWordsAndInputsAreOneLineAndExitOne() throws {
    let cases: [([String], String)] = [
      (
        ["--text", "the red cat", "--text", "the dog", "--word", "cat"],
        "attnscope: --word cat is not a token of input 2; its tokens: 'the' 'dog' '</s>'"
      ),
      (
        ["--text", "the cat", "--text", "the dog", "--word", "the@3"],
        "attnscope: --word the@3: input 1 has 1 occurrence(s) of 'the' (tokens 1)"
      ),
      (
        ["--model", Self.gpt2, "--text", "the", "--text", "the cat", "--word", "the"],
        "attnscope: input 1 is one token ('the'): a word needs context to contrast"
      ),
      (["--text", "the cat", "--word", "cat"], "attnscope: contrast needs --text twice (got 1)"),
    ]
    for (arguments, message) in cases {
      let model = arguments.contains("--model") ? [] : ["--model", "en-it"]
      let run = try runBinary(["contrast"] + model + arguments)
      #expect(run.status == 1, "\(arguments)")
      #expect(run.output.isEmpty)
      #expect(run.errors.split(separator: "\n").count == 1, "\(run.errors)")
      #expect(run.errors.hasPrefix(message), "\(run.errors)")
    }
    let one = try runBinary(["heads", "--model", Self.gpt2, "--text", "the"])
    #expect(one.status == 1 && one.output.isEmpty)
    #expect(one.errors == "attnscope: the input is one token: fingerprints need at least two positions\n")
  }

  /// The tiny GPT-2 fixture, whose prompt has no start token: "the" is one position.
  static let gpt2 = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../HuggingFaceTests/Fixtures/gpt2").standardized.path

  @Test func aRepeatedWordUsesTheFirstAndSaysHowToPickAnother() throws {
    let run = try runBinary([
      "contrast", "--model", "en-it", "--text", "the cat sees the cat", "--text", "the cat", "--word", "cat",
    ])
    #expect(run.status == 0, "\(run.errors)")
    #expect(
      run.errors
        == "attnscope: 'cat' occurs 2 times in input 1 (tokens 2, 5): using the first, token 2; --word cat@2 picks the second\n"
    )
    let second = try runBinary([
      "contrast", "--model", "en-it", "--text", "the cat sees the cat", "--text", "the cat", "--word",
      "cat@2",
      "--word", "cat", "--json",
    ])
    #expect(second.status == 0 && second.errors.isEmpty, "\(second.errors)")
    let inputs = try json(second.output)["inputs"] as! [[String: Any]]
    #expect(inputs[0]["position"] as? Int == 4)
  }
}
