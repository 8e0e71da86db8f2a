// The bundled en-it model through the Decoding step functions: cached and recomputing agree.
import Decoding
import Testing
import Tokenization
import Workbench

@Suite struct StepModelTests {
  func load() throws -> LoadedModel {
    let (folder, name) = try #require(ModelCatalog.resolve("en-it"))
    return try LoadedModel(folder: folder, name: name)
  }

  @Test func cachedAndRecomputedDecodingAgree() throws {
    let loaded = try load()
    let source = try loaded.decodingSource(text: "i love you very much")
    let options = DecodingOptions(startToken: source.firstToken, endToken: Vocabulary.endID, maxLength: 10)
    for width in [1, 4] {
      let cached = try BeamSearch.decode(loaded.stepModel(source), width: width, options: options)
      let plain = try BeamSearch.decode(
        loaded.stepModel(source, cached: false), width: width, options: options)
      #expect(cached.hypotheses.map(\.tokens) == plain.hypotheses.map(\.tokens))
      for (a, b) in zip(cached.scores, plain.scores) { #expect(abs(a - b) < 1e-4) }
      let words = cached.hypotheses[0].tokens.map { loaded.targetTokenizer.vocabulary.token(of: $0) }
      #expect(words == ["ti", "amo", "molto"])
      for (a, b) in zip(cached.steps, plain.steps) {
        for (x, y) in zip(a.hypotheses, b.hypotheses) {
          #expect(x.chosen == y.chosen)
          #expect(x.attention.count == 2 && y.attention.count == 2)  // masked + cross, 1 layer
          for (p, q) in zip(x.attention, y.attention) {
            #expect(p.queries == q.queries && p.keys == q.keys && p.kind == q.kind)
            #expect(zip(p.weights, q.weights).allSatisfy { abs($0 - $1) < 1e-5 })
          }
        }
      }
    }
  }
}
