// Head fingerprints and the contrast of one word against the same numbers computed from
// transformers' attentions and hidden states (scripts/make_fingerprint_fixtures.py), within 1e-5.
import Foundation
import Testing
import Trace
import Workbench

/// The fixture's JSON (fingerprints/NAME.json).
struct FingerprintFixture: Decodable {
  struct Probe: Decodable {
    var seed: UInt64
    var prefix: [Int]
    var half: [Int]
  }
  struct Contrast: Decodable {
    var texts: [String]
    var word: String
    var ids: [[Int]]
    var positions: [Int]
    var cosine: [Float]
    /// [side][layer][head][key]
    var rows: [[[[Float]]]]
  }
  var text: String
  var ids: [Int]
  /// [layer] → metric → [head]
  var layers: [[String: [Float]]]
  var inductionProbe: Probe?
  var induction: [[Float]]?
  var contrast: Contrast

  enum CodingKeys: String, CodingKey {
    case text, ids, layers, induction, contrast
    case inductionProbe = "induction_probe"
  }

  static func load(_ name: String) throws -> FingerprintFixture {
    let file = name.replacingOccurrences(of: "/", with: "-")
    let url = HFFixtures.folder("fingerprints").appendingPathComponent("\(file).json")
    return try JSONDecoder().decode(FingerprintFixture.self, from: Data(contentsOf: url))
  }
}

@Suite struct FingerprintParityTests {
  static let tolerance: Float = 1e-5

  func expectClose(_ actual: Float?, _ expected: Float, _ what: String) {
    guard let actual else {
      Issue.record("\(what): missing, expected \(expected)")
      return
    }
    #expect(abs(actual - expected) <= Self.tolerance, "\(what): \(actual) vs transformers \(expected)")
  }

  @Test(arguments: ["bert", "gpt2", "llm/llama"])
  func fingerprintsMatchTransformers(name: String) throws {
    let fixture = try FingerprintFixture.load(name)
    let loaded = try LoadedModel(folder: HFFixtures.folder(name).path)
    let analysis = try loaded.headAnalysis(text: fixture.text)
    let framed = analysis.trace.tokens.decoder ?? analysis.trace.tokens.encoder ?? []
    #expect(framed.count == fixture.ids.count, "\(name): tokens \(framed)")
    for (layer, expected) in fixture.layers.enumerated() {
      for (key, values) in expected {
        let metric = try #require(HeadMetric(rawValue: key))
        for (head, value) in values.enumerated() {
          let print = analysis.fingerprints.first { $0.layer == layer && $0.head == head }
          expectClose(print?[metric], value, "\(name) layer \(layer) head \(head) \(key)")
        }
      }
    }
    guard let probe = fixture.inductionProbe, let induction = fixture.induction else {
      #expect(analysis.probe == nil, "\(name) has an encoder: no induction probe")
      return
    }
    // attnscope draws the same repeated sequence as the script.
    #expect(analysis.probe == InductionProbe(prefix: probe.prefix, half: probe.half, seed: probe.seed))
    for (layer, values) in induction.enumerated() {
      for (head, value) in values.enumerated() {
        let print = analysis.fingerprints.first { $0.layer == layer && $0.head == head }
        expectClose(print?[.induction], value, "\(name) layer \(layer) head \(head) induction")
      }
    }
  }

  @Test(arguments: ["bert", "gpt2", "llm/llama"])
  func contrastMatchesTransformersHiddenStates(name: String) throws {
    let expected = try FingerprintFixture.load(name).contrast
    let loaded = try LoadedModel(folder: HFFixtures.folder(name).path)
    let run = try loaded.contrast(first: expected.texts[0], second: expected.texts[1], word: expected.word)
    #expect([run.first.position, run.second.position] == expected.positions)
    #expect(run.cosines.count == expected.cosine.count)
    for (layer, cosine) in expected.cosine.enumerated() {
      expectClose(
        run.cosines.indices.contains(layer) ? run.cosines[layer] : nil, cosine, "\(name) cosine \(layer)")
    }
    for (side, rows) in zip([run.first, run.second], expected.rows) {
      for (layer, heads) in rows.enumerated() {
        for (head, row) in heads.enumerated() {
          let actual = try #require(side.row(layer: layer, head: head), "\(name) layer \(layer) head \(head)")
          #expect(actual.count == row.count)
          for (key, value) in row.enumerated() {
            expectClose(actual[key], value, "\(name) '\(side.text)' layer \(layer) head \(head) key \(key)")
          }
        }
      }
    }
  }
}
