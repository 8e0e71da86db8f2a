// The streamed JSON export writes the bytes the whole-trace encoder writes (labels with quotes,
// slashes, control and bidi characters; NaN, ±∞ and masked scores; kv_heads; vectors), whatever
// the chunk size, and a sink that fails stops the export with its error.
import Foundation
import Render
import Testing
import Trace

@testable import AppCore

@Suite struct TraceStreamTests {
  static func trace() -> AttentionTrace {
    let labels = ["a\"b", "c/d", "\u{7}e", "f\u{202E}g"]
    var weights = (0..<32).map { Float($0) / 7 - 1.5 }
    weights[3] = .nan
    weights[4] = 1e-45
    weights[5] = 16_777_216
    weights[6] = -0.0
    var scores = weights.map { $0 * 3 }
    scores[1] = -.infinity
    scores[2] = .infinity
    var grouped = AttentionEntry(
      stack: .decoder, kind: .masked, layer: 0, heads: 2, queries: labels, keys: labels, weights: weights,
      scores: scores,
      vectors: HeadVectors(
        headDim: 2, queries: (0..<16).map { Float($0) / 3 }, keys: (0..<16).map { Float($0) * 1e9 },
        values: (0..<16).map { -Float($0) }, outputs: (0..<16).map { Float($0) / 11 }))
    grouped.keyValueHeads = 1
    let cross = AttentionEntry(
      stack: .decoder, kind: .cross, layer: 0, heads: 1, queries: labels, keys: ["x", "y"],
      weights: (0..<8).map { Float($0) / 8 }, scores: (0..<8).map { Float($0) })
    return AttentionTrace(
      model: "m/\"n\"", tokens: TokenLabels(encoder: ["x", "y"], decoder: labels),
      attention: [grouped, cross])
  }

  static func encoded(_ trace: AttentionTrace) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return TerminalText.escapingUnsafe(json: Array(try encoder.encode(trace)))
  }

  @Test(arguments: [1, 7, 1 << 20])
  func streamedJSONIsTheEncodersBytes(capacity: Int) throws {
    var bytes: [UInt8] = []
    var output = ChunkWriter(capacity: capacity) { bytes.append(contentsOf: $0) }
    try TraceExport.writeJSON(Self.trace(), to: &output)
    try output.finish()
    #expect(bytes == (try Self.encoded(Self.trace())))
  }

  @Test func emptyTraceAndSingleTokenEntries() throws {
    let empty = AttentionTrace(model: "e", tokens: TokenLabels(), attention: [])
    let one = AttentionTrace(
      model: "o", tokens: TokenLabels(encoder: ["t"]),
      attention: [
        AttentionEntry(
          stack: .encoder, kind: .self, layer: 0, heads: 3, queries: ["t"], keys: ["t"], weights: [1, 1, 1],
          scores: [0.5, 2, 1e10])
      ])
    for trace in [empty, one] {
      var bytes: [UInt8] = []
      var output = ChunkWriter { bytes.append(contentsOf: $0) }
      try TraceExport.writeJSON(trace, to: &output)
      try output.finish()
      #expect(bytes == (try Self.encoded(trace)))
    }
  }

  @Test func csvRowsAreSanitisedLikeTheWholeTable() throws {
    var bytes: [UInt8] = []
    var output = ChunkWriter(capacity: 5) { bytes.append(contentsOf: $0) }
    try TraceExport.writeCSV(Self.trace(), to: &output, sanitizing: true)
    try output.finish()
    let whole = TraceExport.csv(Self.trace())
    #expect(String(decoding: bytes, as: UTF8.self) == TerminalText.sanitizedLines(whole))
    #expect(whole.split(separator: "\n").count == 1 + 32 + 8)
    #expect(whole.contains("decoder,masked,0,0,0,\"a\"\"b\",1,c/d,-1.3571428,\n"), "a masked score is empty")
  }

  struct DiskFull: Error {}

  @Test func aFailingSinkStopsTheExport() throws {
    var written = 0
    var output = ChunkWriter(capacity: 64) { chunk in
      if written + chunk.count > 200 { throw DiskFull() }
      written += chunk.count
    }
    #expect(throws: DiskFull.self) {
      try TraceExport.writeJSON(Self.trace(), to: &output)
      try output.finish()
    }
    #expect(written <= 200)
  }
}
