// `--ablate` on `decode` and `attention`, and `attnscope lens`: the lens's last layer is the model's
// own next-token choice (greedy's first token, ablated or not), and bad lists are one line, exit 1.
import Foundation
import Testing

@Suite struct AblationLensCLITests {
  static let gpt2 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("HuggingFaceTests/Fixtures/gpt2").path

  func json(_ arguments: [String]) throws -> [String: Any] {
    let run = try runBinary(arguments)
    #expect(run.status == 0, "\(arguments): \(run.errors)")
    return try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as! [String: Any]
  }

  /// The id the lens's last layer ranks first at the last position.
  func lensChoice(_ extra: [String]) throws -> (id: Int, layers: Int) {
    let lens = try json(
      ["lens", "--model", Self.gpt2, "--text", "I love you", "--top", "3", "--json"] + extra)
    let layers = lens["layers"] as! [[String: Any]]
    let last = (layers.last!["positions"] as! [[String: Any]]).last!
    let top = last["top"] as! [[String: Any]]
    #expect(top.count == 3)
    let probabilities = top.map { $0["probability"] as! Double }
    #expect(probabilities == probabilities.sorted(by: >))
    return (top[0]["id"] as! Int, layers.count)
  }

  func greedyFirst(_ extra: [String]) throws -> Int {
    let decode = try json(
      ["decode", "--model", Self.gpt2, "--text", "I love you", "--max-len", "1", "--json"] + extra)
    let hypotheses = decode["hypotheses"] as! [[String: Any]]
    return (hypotheses[0]["ids"] as! [Int])[0]
  }

  @Test func lensLastLayerIsTheModelsChoiceWithAndWithoutAblation() throws {
    let plain = try lensChoice([])
    #expect(plain.layers == 3, "embeddings + 2 layers")
    #expect(plain.id == (try greedyFirst([])))
    let ablated = try lensChoice(["--ablate", "1.1,2.4"])
    #expect(ablated.id == (try greedyFirst(["--ablate", "1.1,2.4"])))
    #expect(ablated.id != plain.id, "switching two heads off changes this prompt's next token")
  }

  @Test func attentionWithAblationNamesTheHeads() throws {
    let run = try runBinary(["attention", "--model", "en-it", "--ablate", "cross.1.2", "--format", "csv"])
    #expect(run.status == 0)
    #expect(run.errors.contains("ablated heads: cross.L1.H2"))
  }

  @Test func badAblationListsAreOneLineAndExitOne() throws {
    let cases: [(String, String)] = [
      ("3.1", "layer 3 out of range 1…2"), ("1.5", "head 5 out of range 1…4"),
      ("1.x", "expected layer.head"), ("1.2,,2.1", "no empty items"),
      ("cross.1.1", "\"cross\" is not an attention of this model"),
      // FuzzAblation's find: a control character in the list is escaped, not printed.
      (",\n\u{1}", "--ablate \",\\n\\u{01}\": expected a list"),
    ]
    for (list, message) in cases {
      let run = try runBinary(["decode", "--model", Self.gpt2, "--text", "hi", "--ablate", list])
      #expect(run.status == 1, "\(list)")
      #expect(run.errors.contains(message), "\(list): \(run.errors)")
      #expect(run.errors.split(separator: "\n").count == 1)
      #expect(run.output.isEmpty)
    }
    let several = try runBinary(["attention", "--model", "en-it", "--ablate", "1.1"])
    #expect(several.status == 1 && several.errors.contains("name one: enc.1.1, dec.1.1, cross.1.1"))
    let lens = try runBinary(["lens", "--model", "en-it", "--top", "0"])
    #expect(lens.status == 1 && lens.errors.split(separator: "\n").count == 1)
  }
}
