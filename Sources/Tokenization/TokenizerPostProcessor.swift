// tokenizer.json's `post_processor` for one sequence: the special tokens around the text when
// `add_special_tokens` is on. TemplateProcessing ("single": pieces and $A), ByteLevel (offsets only,
// no tokens), BertProcessing / RobertaProcessing ([CLS] A [SEP]), Sequence (each in turn). Follows
// tokenizers/src/processors (template.rs, sequence.rs, bert.rs, roberta.rs).
//
// tokenizer_config.json's add_bos_token / add_eos_token do not enter here: transformers 5 drops them
// whenever tokenizer.json exists (PreTrainedTokenizerBase._from_pretrained, "if
// resolved_vocab_files.get('tokenizer_file') … pop('add_bos_token')"), so the post-processor decides;
// with none, nothing is added. Fixtures/llm-*/expected.json "framings" record that for six configs.
import JSON

indirect enum TokenizerPostProcessor: Sendable {
  /// Ids before and after the text.
  case frame(before: [Int], after: [Int])
  case sequence([TokenizerPostProcessor])

  static func parse(
    _ value: JSONValue?, fileName: String, vocabularySize: Int, path: String = "post_processor"
  )
    throws(TokenizationError) -> TokenizerPostProcessor?
  {
    guard let value, !value.isNull else { return nil }
    let type = value["type"]?.stringValue
    func checked(_ ids: [Int], _ what: String) throws(TokenizationError) -> [Int] {
      if let bad = ids.first(where: { $0 < 0 || $0 >= vocabularySize }) {
        throw TokenizationError(
          "\(fileName): \(path) \(what) has id \(bad), outside the vocabulary (0..<\(vocabularySize))")
      }
      return ids
    }
    switch type {
    case "Sequence":
      guard let items = value["processors"]?.arrayValue else {
        throw TokenizationError("\(fileName): \(path).processors must be an array")
      }
      var parts: [TokenizerPostProcessor] = []
      for (index, item) in items.enumerated() {
        let itemPath = "\(path).processors[\(index)]"
        if let part = try parse(item, fileName: fileName, vocabularySize: vocabularySize, path: itemPath) {
          parts.append(part)
        }
      }
      return .sequence(parts)
    case "ByteLevel": return .frame(before: [], after: [])
    case "BertProcessing", "RobertaProcessing":
      guard let cls = value["cls"]?.arrayValue?.last?.integer,
        let sep = value["sep"]?.arrayValue?.last?.integer
      else {
        throw TokenizationError("\(fileName): \(path) needs cls and sep as [token, id]")
      }
      return .frame(before: try checked([cls], "cls"), after: try checked([sep], "sep"))
    case "TemplateProcessing":
      return try template(value, fileName: fileName, path: path, checked)
    default:
      throw TokenizationError(
        "\(fileName): \(path).type \(quoted(type ?? "none")) is not supported (TemplateProcessing, ByteLevel, BertProcessing, RobertaProcessing, Sequence)"
      )
    }
  }

  private static func template(
    _ value: JSONValue, fileName: String, path: String,
    _ checked: ([Int], String) throws(TokenizationError) -> [Int]
  ) throws(TokenizationError) -> TokenizerPostProcessor {
    guard let single = value["single"]?.arrayValue else {
      throw TokenizationError("\(fileName): \(path).single must be an array")
    }
    var before: [Int] = []
    var after: [Int] = []
    var seenSequence = false
    for item in single {
      if let sequence = item["Sequence"] {
        guard sequence["id"]?.stringValue == "A", !seenSequence else {
          throw TokenizationError("\(fileName): \(path).single must hold the sequence $A once")
        }
        seenSequence = true
      } else if let name = item["SpecialToken"]?["id"]?.stringValue {
        guard let ids = value["special_tokens"]?[name]?["ids"]?.arrayValue?.compactMap(\.integer) else {
          throw TokenizationError("\(fileName): \(path).special_tokens has no ids for \(quoted(name))")
        }
        let valid = try checked(ids, "special token \(quoted(name))")
        if seenSequence { after += valid } else { before += valid }
      } else {
        throw TokenizationError(
          "\(fileName): \(path).single holds an item that is neither Sequence nor SpecialToken")
      }
    }
    guard seenSequence else {
      throw TokenizationError("\(fileName): \(path).single must hold the sequence $A once")
    }
    return .frame(before: before, after: after)
  }

  /// The ids put before and after the text (each processor of a Sequence wraps the previous result).
  var framing: (before: [Int], after: [Int]) {
    switch self {
    case .frame(let before, let after): return (before, after)
    case .sequence(let parts):
      return parts.reduce(([], [])) { total, part in
        let inner = part.framing
        return (inner.before + total.0, total.1 + inner.after)
      }
    }
  }
}
