// The Hugging Face tokenizers against `transformers` on awkward text: every fixture folder
// (scripts/make_tokenizer_fixtures.py) is loaded the way the app loads a model folder, and the
// pieces, ids and decodings must equal what transformers recorded.
import Foundation
import Testing

@testable import Tokenization

enum TokenizerFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static let folders = [
    "wordpiece-uncased", "wordpiece-uncased-json", "wordpiece-cased", "minilm", "gpt2-bpe",
    "gpt2-bpe-json", "marian", "marian-identity",
  ]

  struct Expected: Decodable {
    var tokenizer: String
    var cases: [Case]
  }

  struct Case: Decodable {
    var text: String
    var tokens: [String]
    var ids: [Int]
    var ids_with_specials: [Int]
    var decoded: String
    var decoded_with_specials: String
    var decoded_skipping_specials: String
  }

  static func expected(_ folder: String) throws -> Expected {
    let data = try Data(
      contentsOf: directory.appendingPathComponent(folder).appendingPathComponent("expected.json"))
    return try JSONDecoder().decode(Expected.self, from: data)
  }

  static func tokenizer(_ folder: String) throws -> any SubwordTokenizer {
    try HuggingFaceTokenizer.load(folder: directory.appendingPathComponent(folder))
  }
}

/// Exact comparison: Swift's `==` on strings ignores canonical differences Python sees.
private func same(_ a: String, _ b: String) -> Bool { Array(a.utf8) == Array(b.utf8) }

@Suite struct HuggingFaceFixtureTests {
  @Test(arguments: TokenizerFixtures.folders)
  func matchesTransformers(folder: String) throws {
    let tokenizer = try TokenizerFixtures.tokenizer(folder)
    let expected = try TokenizerFixtures.expected(folder)
    #expect(expected.cases.count > 30)
    for item in expected.cases {
      let text = item.text.debugDescription.prefix(60)
      let tokens = tokenizer.encode(item.text)
      #expect(tokens.map(\.id) == item.ids, "\(folder) ids of \(text)")
      let labels = tokens.map(\.label)
      #expect(
        labels.count == item.tokens.count && zip(labels, item.tokens).allSatisfy(same),
        "\(folder) pieces of \(text): \(labels) vs \(item.tokens)")
      #expect(
        tokenizer.addingSpecialTokens(tokens).map(\.id) == item.ids_with_specials,
        "\(folder) ids with specials of \(text)")
      let decodings = [
        (tokenizer.decode(item.ids, skipSpecialTokens: false), item.decoded, "decode"),
        (
          tokenizer.decode(item.ids_with_specials, skipSpecialTokens: false), item.decoded_with_specials,
          "decode with specials"
        ),
        (
          tokenizer.decode(item.ids_with_specials, skipSpecialTokens: true), item.decoded_skipping_specials,
          "decode skipping specials"
        ),
      ]
      for (actual, wanted, what) in decodings {
        #expect(
          same(actual, wanted),
          "\(folder) \(what) of \(text): \(actual.debugDescription) vs \(wanted.debugDescription)")
      }
    }
  }

  @Test func picksTheKindFromTheFiles() throws {
    let kinds = try TokenizerFixtures.folders.map { try TokenizerFixtures.tokenizer($0).kind }
    #expect(
      kinds == [
        .wordPiece, .wordPiece, .wordPiece, .wordPiece, .byteLevelBPE, .byteLevelBPE,
        .sentencePieceUnigram, .sentencePieceUnigram,
      ])
  }

  @Test func unknownPiecesAreMarked() throws {
    let bert = try TokenizerFixtures.tokenizer("minilm")
    let tokens = bert.encode("hello \u{1F600} world")
    #expect(tokens.map(\.label) == ["hello", "[UNK]", "world"])
    #expect(tokens.map(\.isUnknown) == [false, true, false])
    let marian = try TokenizerFixtures.tokenizer("marian")
    #expect(marian.encode("한국어").contains { $0.isUnknown && $0.id == marian.specialTokens.unknown })
  }

  @Test func specialTokenIDs() throws {
    let bert = try TokenizerFixtures.tokenizer("minilm")
    #expect(
      bert.specialTokens
        == SpecialTokenIDs(unknown: 100, padding: 0, classifier: 101, separator: 102, mask: 103))
    #expect(bert.vocabularySize == 30522)
    #expect(bert.token(of: 101) == "[CLS]")
    #expect(bert.id(of: "[MASK]") == 103)
    #expect(bert.token(of: 30522) == nil)
    let gpt2 = try TokenizerFixtures.tokenizer("gpt2-bpe")
    let end = try #require(gpt2.id(of: "<|endoftext|>"))
    #expect(gpt2.specialTokens == SpecialTokenIDs(unknown: end, beginning: end, end: end))
    let marian = try TokenizerFixtures.tokenizer("marian")
    #expect(marian.specialTokens.end == 0)
    #expect(marian.specialTokens.unknown == 1)
    #expect(marian.specialTokens.padding == marian.vocabularySize - 1)
  }

  @Test func encodeForModelFramesTheText() throws {
    let bert = try TokenizerFixtures.tokenizer("minilm")
    #expect(
      bert.encodeForModel("I love you very much").map(\.label) == [
        "[CLS]", "i", "love", "you", "very", "much", "[SEP]",
      ])
    #expect(bert.decode(bert.encodeForModel("I love you very much").map(\.id)) == "i love you very much")
  }
}
