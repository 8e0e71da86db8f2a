// The tokenizer.ggml.* keys of a GGUF file, read once and checked, as transformers' get_gguf_tokenizer
// (integrations/gguf/gguf_tokenizer_mapping.py) collects them. Every refusal is one line naming the
// file and the key; nothing is allocated from a count before the count is bounded.
import GGUF
import Transformer

struct GGUFTokenizerMetadata {
  let fileName: String
  let architecture: String
  /// tokenizer.ggml.model: "gpt2", "llama", …
  let model: String
  /// tokenizer.ggml.pre, nil when absent.
  let pre: String?
  let tokens: [String]
  /// llama.cpp's token types (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte).
  let tokenTypes: [Int]?
  let scores: [Float]?
  /// "left right" strings in rank order, nil when the file has none.
  let merges: [String]?
  let bos: Int?
  let eos: Int?
  let unknown: Int?
  let padding: Int?
  let addBOS: Bool?
  let addEOS: Bool?

  /// Far above any real vocabulary (Gemma 3's 262,144 is the largest in use), far below what would
  /// exhaust memory building the tables.
  static let maximumTokens = 1 << 21
  static let maximumMerges = 1 << 23

  static let prefix = "tokenizer.ggml."

  static func failure(_ fileName: String, _ key: String, _ problem: String) -> ModelError {
    ModelError(GGUFError(file: fileName, subject: .key(prefix + key), problem: problem).description)
  }

  init(_ file: GGUFFile) throws(ModelError) {
    fileName = file.fileName
    let name = fileName
    func fail(_ key: String, _ problem: String) -> ModelError { Self.failure(name, key, problem) }
    do {
      architecture = try file.stringIfPresent("general.architecture") ?? ""
      guard let model = try file.stringIfPresent(Self.prefix + "model") else {
        throw fail("model", "missing: the file describes no tokenizer")
      }
      self.model = model
      pre = try file.stringIfPresent(Self.prefix + "pre")
      guard let tokenArray = try file.arrayIfPresent(Self.prefix + "tokens") else {
        throw fail("tokens", "missing: the file has no vocabulary")
      }
      guard tokenArray.count > 0 else { throw fail("tokens", "the vocabulary is empty") }
      guard tokenArray.count <= Self.maximumTokens else {
        throw fail(
          "tokens", "\(tokenArray.count) tokens is more than the \(Self.maximumTokens) attnscope accepts")
      }
      tokens = try tokenArray.strings()
      let count = tokens.count
      func sized(_ key: String) throws(GGUFError) -> GGUFArray? {
        guard let array = try file.arrayIfPresent(Self.prefix + key) else { return nil }
        guard array.count == count else {
          throw GGUFError(
            file: name, subject: .key(Self.prefix + key),
            problem: "has \(array.count) values for \(count) tokens")
        }
        return array
      }
      tokenTypes = try sized("token_type")?.integers()
      scores = try sized("scores")?.floats()
      if let index = scores?.firstIndex(where: \.isNaN) { throw fail("scores", "element \(index) is NaN") }
      if let mergeArray = try file.arrayIfPresent(Self.prefix + "merges") {
        guard mergeArray.count <= Self.maximumMerges else {
          throw fail(
            "merges", "\(mergeArray.count) merges is more than the \(Self.maximumMerges) attnscope accepts")
        }
        merges = try mergeArray.strings()
      } else {
        merges = nil
      }
      func id(_ key: String) throws(ModelError) -> Int? {
        let value: Int?
        do { value = try file.intIfPresent(Self.prefix + key) } catch { throw ModelError(error.description) }
        guard let value else { return nil }
        guard (0..<count).contains(value) else {
          throw fail(key, "id \(value) is outside the vocabulary of \(count) tokens")
        }
        return value
      }
      bos = try id("bos_token_id")
      eos = try id("eos_token_id")
      unknown = try id("unknown_token_id")
      padding = try id("padding_token_id")
      addBOS = try file.boolIfPresent(Self.prefix + "add_bos_token")
      addEOS = try file.boolIfPresent(Self.prefix + "add_eos_token")
    } catch let error as GGUFError {
      throw ModelError(error.description)
    } catch let error as ModelError {
      throw error
    } catch {
      throw ModelError("\(name): \(error)")
    }
  }

  /// The token text of a special id (get_gguf_tokenizer: `tokens[token_id]`).
  func name(_ id: Int?) -> String? { id.map { tokens[$0] } }
}
