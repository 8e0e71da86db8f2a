// `attnscope decode` through the built binary: en-it translates its example with greedy and beam
// search, with and without the KV cache, and bad settings are one-line errors.
import Foundation
import Testing

@Suite struct DecodeTests {
  func decode(_ arguments: [String]) throws -> [String: Any] {
    let run = try runBinary(["decode", "--json"] + arguments)
    #expect(run.status == 0, "\(run.errors)")
    return try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as! [String: Any]
  }

  func hypotheses(_ json: [String: Any]) -> [[String: Any]] { json["hypotheses"] as! [[String: Any]] }

  @Test(arguments: [["--strategy", "greedy"], ["--strategy", "beam", "--beam", "4"]])
  func translatesTheExample(strategy: [String]) throws {
    let json = try decode(["--text", "i love you very much"] + strategy)
    #expect(json["model"] as? String == "en-it")
    #expect(json["source"] as? [String] == ["i", "love", "you", "very", "much", "</s>"])
    let best = hypotheses(json)[0]
    #expect(best["tokens"] as? [String] == ["ti", "amo", "molto"])
    #expect(best["finished"] as? Bool == true)
    let scores = hypotheses(json).map { $0["score"] as! Double }
    #expect(scores == scores.sorted(by: >), "best first")
    let steps = json["steps"] as! [[String: Any]]
    let prefixes = steps.map { step in
      (step["hypotheses"] as! [[String: Any]]).map { $0["prefix"] as! [String] }
    }
    if strategy.contains("beam") {
      // The sample's greedy path is near-certain (p > 0.9999 at every step), so the runners-up
      // are the 4 finished hypotheses, set aside as they reach </s>: "ti amo molto" and
      // "ti amo spesso" at step 4, "ti amo ogni giorno" and "ti amo i molto" at step 5, and with
      // 4 finished the search stops, after 5 steps. Log-probs of neighbours differ by ≥ 0.06.
      #expect(
        hypotheses(json).map { $0["tokens"] as! [String] } == [
          ["ti", "amo", "molto"], ["ti", "amo", "ogni", "giorno"], ["ti", "amo", "i", "molto"],
          ["ti", "amo", "spesso"],
        ])
      #expect(hypotheses(json).allSatisfy { $0["finished"] as? Bool == true })
      #expect(
        prefixes == [
          [[]],
          [["ti"], ["ami"], ["amo"], ["l'"]],
          [["ti", "amo"], ["ti", "ami"], ["ti", "amano"], ["ami", "molto"]],
          [["ti", "amo", "molto"], ["ti", "amo", "ogni"], ["ti", "amo", "i"], ["ti", "amo", "spesso"]],
          [
            ["ti", "amo", "ogni", "giorno"], ["ti", "amo", "i", "molto"], ["ti", "amo", "molto", "ti"],
            ["ti", "amo", "molto", "molto"],
          ],
        ])
    } else {
      // Greedy feeds back its own choice: one hypothesis per step, and it stops on </s> (id 2).
      #expect(prefixes == [[[]], [["ti"]], [["ti", "amo"]], [["ti", "amo", "molto"]]])
      let chosen = steps.map { ($0["hypotheses"] as! [[String: Any]])[0]["chosen_ids"] as! [Int] }
      #expect(chosen == [[106], [9], [73], [2]])
    }
    #expect(best["ids"] as? [Int] == [106, 9, 73], "ti amo molto in the sample's vocabulary")
    let first = (steps[0]["hypotheses"] as! [[String: Any]])[0]
    #expect((first["candidates"] as! [[String: Any]])[0]["token"] as? String == "ti")
    let attention = first["attention"] as! [[String: Any]]
    #expect(Set(attention.map { $0["kind"] as! String }) == ["masked", "cross"])
    let cross = attention.first { $0["kind"] as? String == "cross" }!
    #expect((cross["weights"] as! [[[Double]]]).map(\.count) == [1, 1, 1, 1])  // [head][new query][key]
  }

  @Test(arguments: [["--strategy", "greedy"], ["--strategy", "beam", "--beam", "4", "--alpha", "0.6"]])
  func noCacheGivesTheSameOutput(strategy: [String]) throws {
    let cached = try decode(strategy)
    let plain = try decode(strategy + ["--no-cache"])
    #expect(plain["cache"] as? Bool == false)
    let (a, b) = (hypotheses(cached), hypotheses(plain))
    #expect(a.map { $0["ids"] as! [Int] } == b.map { $0["ids"] as! [Int] })
    for (x, y) in zip(a, b) { #expect(abs((x["score"] as! Double) - (y["score"] as! Double)) < 1e-4) }
    let chosen = { (json: [String: Any]) in
      (json["steps"] as! [[String: Any]]).map { step in
        (step["hypotheses"] as! [[String: Any]]).map { $0["chosen_ids"] as! [Int] }
      }
    }
    #expect(chosen(cached) == chosen(plain))
  }

  /// Each hypothesis's `origin` and the steps' `parent` back-pointers lead through its own records:
  /// at every step the record's prefix is the hypothesis's, and its chosen tokens include the next.
  @Test func backPointersFollowEachBeamHypothesis() throws {
    let json = try decode(["--text", "the red cat sees the dog", "--strategy", "beam", "--beam", "5"])
    let steps = (json["steps"] as! [[String: Any]]).map { $0["hypotheses"] as! [[String: Any]] }
    for hypothesis in hypotheses(json) {
      let tokens = hypothesis["tokens"] as! [String] + ((hypothesis["finished"] as! Bool) ? ["</s>"] : [])
      var beam: Int? = hypothesis["origin"] as? Int
      for step in stride(from: tokens.count - 1, through: 0, by: -1) {
        let record = try #require(beam.map { steps[step][$0] })
        #expect(record["prefix"] as? [String] == Array(tokens.prefix(step)))
        #expect((record["chosen"] as! [String]).contains(tokens[step]))
        beam = record["parent"] as? Int
      }
      #expect(beam == nil, "step 0 has no parent")
    }
  }

  @Test func samplingIsReproducible() throws {
    let arguments = ["--strategy", "sample", "--seed", "7", "--temperature", "1.5"]
    let (first, second) = (try runBinary(["decode"] + arguments), try runBinary(["decode"] + arguments))
    #expect(first.status == 0 && first.output == second.output && !first.output.isEmpty)
  }

  @Test func badSettingsAreOneLineErrors() throws {
    let cases: [([String], String)] = [
      (["--text", ""], "attnscope: the input is empty: nothing to show\n"),
      (["--strategy", "beam", "--beam", "0"], "attnscope: --beam must be an integer from 1 to 16, got 0\n"),
      (
        ["--strategy", "beam", "--beam", "17"], "attnscope: --beam must be an integer from 1 to 16, got 17\n"
      ),
      (["--max-len", "0"], "attnscope: --max-len must be an integer from 1 to 1000000, got 0\n"),
      // Numbers outside their domain name their flag (they used to print nan scores, nothing at
      // all with exit 0, pick id 0, or blame --temperature for --top-k).
      (
        ["--strategy", "beam", "--alpha", "nan"],
        "attnscope: --alpha must be a number from -5 to 5, got nan\n"
      ),
      (
        ["--strategy", "beam", "--alpha", "inf"],
        "attnscope: --alpha must be a number from -5 to 5, got inf\n"
      ),
      (["--alpha=-20"], "attnscope: --alpha must be a number from -5 to 5, got -20.0\n"),
      (["--temperature", "0"], "attnscope: --temperature must be a positive number, got 0.0\n"),
      (["--temperature", "nan"], "attnscope: --temperature must be a positive number, got nan\n"),
      (["--top-k=-1"], "attnscope: --top-k must be 0 (every token) or a positive count, got -1\n"),
      (["--top-p", "1.5"], "attnscope: --top-p must be a number greater than 0 and at most 1, got 1.5\n"),
      (
        ["--max-len", "9223372036854775807"],
        "attnscope: --max-len must be an integer from 1 to 1000000, got 9223372036854775807\n"
      ),
    ]
    for (arguments, message) in cases {
      let run = try runBinary(["decode"] + arguments)
      #expect(run.status == 1, "\(arguments)")
      #expect(run.errors == message)
      #expect(run.output.isEmpty)
    }
  }

  /// A tiny temperature samples the argmax: the greedy output, not a run of id 0.
  @Test func tinyTemperatureIsTheArgmax() throws {
    let greedy = try runBinary(["decode", "--strategy", "greedy"])
    let sampled = try runBinary(["decode", "--strategy", "sample", "--temperature", "1e-39", "--seed", "3"])
    #expect(sampled.status == 0, "\(sampled.errors)")
    let tokens = { (line: String) in line.split(separator: " ").dropFirst(2).joined(separator: " ") }
    #expect(tokens(sampled.output) == tokens(greedy.output), "\(sampled.output) vs \(greedy.output)")
  }
}
