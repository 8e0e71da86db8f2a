// AttentionEntry's accessors and its JSON form: nested [head][query][key], masked scores (−∞)
// written as null and read back as −∞, vectors only when recorded, malformed shapes refused.
import Foundation
import Testing
import Trace

/// Decoder masked self-attention over two tokens and two heads: "<s>" cannot see "ti" (−∞).
func maskedEntry(vectors: HeadVectors? = nil) -> AttentionEntry {
  AttentionEntry(
    stack: .decoder, kind: .masked, layer: 2, heads: 2, queries: ["<s>", "ti"], keys: ["<s>", "ti"],
    weights: [1, 0, 0.25, 0.75, 1, 0, 0.5, 0.5],
    scores: [0.5, -.infinity, -1, 0.125, 2, -.infinity, 0, 0], vectors: vectors)
}

/// Two heads, two tokens, d_k 1: easy to tell every number apart.
let sampleVectors = HeadVectors(
  headDim: 1, queries: [1, 2, 3, 4], keys: [5, 6, 7, 8], values: [9, 10, 11, 12],
  outputs: [13, 14, 15, 16])

func json(_ entry: AttentionEntry) throws -> [String: Any] {
  try JSONSerialization.jsonObject(with: JSONEncoder().encode(entry)) as! [String: Any]
}

@Suite struct AttentionEntryTests {
  @Test func accessorsIndexHeadQueryKey() {
    let entry = maskedEntry()
    #expect(entry.weight(head: 0, query: 1, key: 1) == 0.75)
    #expect(entry.weight(head: 1, query: 1, key: 0) == 0.5)
    #expect(entry.weightMatrix(head: 1) == [[1, 0], [0.5, 0.5]])
    #expect(entry.meanOverHeads() == [[1, 0], [0.375, 0.625]])
    #expect(entry.isMasked(head: 0, query: 0, key: 1))
    #expect(!entry.isMasked(head: 0, query: 1, key: 0), "a low weight is not a mask")
    #expect(entry.title == "decoder masked, layer 3")
  }

  @Test func maskedScoresAreNullInJSON() throws {
    let object = try json(maskedEntry())
    let scores = object["scores"] as! [[[Any]]]
    #expect(scores[0][0][1] is NSNull && scores[1][0][1] is NSNull)
    #expect(scores[0][1].map { ($0 as! NSNumber).floatValue } == [-1, 0.125])
    #expect((object["weights"] as! [[[Double]]]) == [[[1, 0], [0.25, 0.75]], [[1, 0], [0.5, 0.5]]])
    #expect(object["vectors"] == nil, "absent unless recorded, so the older schema is unchanged")
    #expect(object["layer"] as? Int == 2 && object["kind"] as? String == "masked")
  }

  @Test func roundTripKeepsMinusInfinityAndVectors() throws {
    for entry in [maskedEntry(), maskedEntry(vectors: sampleVectors)] {
      let decoded = try JSONDecoder().decode(AttentionEntry.self, from: JSONEncoder().encode(entry))
      #expect(decoded == entry)
      #expect(decoded.score(head: 1, query: 0, key: 1) == -.infinity)
    }
  }

  @Test func vectorsAreNestedPerHeadAndToken() throws {
    let vectors = try json(maskedEntry(vectors: sampleVectors))["vectors"] as! [String: Any]
    #expect(vectors["head_dim"] as? Int == 1)
    #expect((vectors["queries"] as! [[[Double]]]) == [[[1], [2]], [[3], [4]]])
    #expect((vectors["outputs"] as! [[[Double]]]) == [[[13], [14]], [[15], [16]]])
  }

  @Test func shapesThatDisagreeAreRefused() throws {
    var object = try json(maskedEntry())
    object["heads"] = 3
    #expect(throws: DecodingError.self) { try decode(object) }
    object = try json(maskedEntry())
    object["weights"] = [[[1, 0], [1]], [[1, 0], [0.5, 0.5]]]  // a ragged row
    #expect(throws: DecodingError.self) { try decode(object) }
    object = try json(maskedEntry(vectors: sampleVectors))
    var vectors = object["vectors"] as! [String: Any]
    vectors["head_dim"] = 2  // the rows still hold 1 number
    object["vectors"] = vectors
    #expect(throws: DecodingError.self) { try decode(object) }
  }

  func decode(_ object: [String: Any]) throws {
    _ = try JSONDecoder().decode(
      AttentionEntry.self, from: JSONSerialization.data(withJSONObject: object))
  }
}
