// The normalizer, pre-tokenizer, decoder and BPE options of each tokenizer transformers builds from
// a GGUF file, as tokenizer.json values (what `tokenizer.backend_tokenizer.to_str()` shows):
// GPT2Tokenizer for "gpt2", LlamaTokenizer for "llama", GemmaTokenizer for Gemma's architectures
// and "gemma4", Phi-3's normalizer (integrations/gguf/gguf_tokenizer_mapping.py and the classes'
// __init__ in models/{gpt2,llama,gemma}/tokenization_*.py).
import JSON

struct GGUFPipeline {
  var normalizer: JSONValue = .null
  var preTokenizer: JSONValue = .null
  var decoder: JSONValue = .null
  /// BPE model options: unk_token, continuing_subword_prefix / end_of_word_suffix, fuse_unk, byte_fallback.
  var unknownToken: String?
  var affixes: JSONValue = .null
  var fuseUnknown = true
  var byteFallback = true
  /// The special tokens the builder class names by default (bos, eos, unk, pad, mask order, as
  /// SPECIAL_TOKENS_ATTRIBUTES), added as special tokens when the class is made.
  var classDefaults: [String] = []

  static func string(_ text: String) -> JSONValue { .string(text) }
  static func object(_ members: [(String, JSONValue)]) -> JSONValue {
    .object(members.map { JSONMember(key: $0.0, value: $0.1) })
  }
  static func pattern(_ text: String) -> JSONValue { object([("String", .string(text))]) }

  static let space = "\u{2581}"

  /// GPT2Tokenizer: ByteLevel pre-tokenizer (GPT-2's regex) and decoder, no normalizer.
  static var byteLevel: GGUFPipeline {
    var pipeline = GGUFPipeline()
    pipeline.preTokenizer = object([
      ("type", .string("ByteLevel")), ("add_prefix_space", .bool(false)), ("trim_offsets", .bool(true)),
      ("use_regex", .bool(true)),
    ])
    pipeline.decoder = object([
      ("type", .string("ByteLevel")), ("add_prefix_space", .bool(true)), ("trim_offsets", .bool(true)),
      ("use_regex", .bool(true)),
    ])
    pipeline.affixes = .string("")
    pipeline.fuseUnknown = false
    pipeline.byteFallback = false
    pipeline.classDefaults = ["<|endoftext|>"]
    return pipeline
  }

  static func sentencePieceDecoder(strip: Bool) -> JSONValue {
    var steps: [JSONValue] = [
      object([("type", .string("Replace")), ("pattern", pattern(space)), ("content", .string(" "))]),
      object([("type", .string("ByteFallback"))]), object([("type", .string("Fuse"))]),
    ]
    if strip {
      steps.append(
        object([
          ("type", .string("Strip")), ("content", .string(" ")), ("start", .number(JSONNumber(1))),
          ("stop", .number(JSONNumber(0))),
        ])
      )
    }
    return object([("type", .string("Sequence")), ("decoders", .array(steps))])
  }

  /// LlamaTokenizer (add_prefix_space true, legacy false): Metaspace "first", byte fallback, no unk
  /// in the model.
  static var llama: GGUFPipeline {
    var pipeline = GGUFPipeline()
    pipeline.preTokenizer = object([
      ("type", .string("Metaspace")), ("replacement", .string(space)), ("prepend_scheme", .string("first")),
      ("split", .bool(false)),
    ])
    pipeline.decoder = sentencePieceDecoder(strip: true)
    pipeline.classDefaults = ["<s>", "</s>", "<unk>"]
    return pipeline
  }

  /// phi3_tokenizer: Llama's, with the prefix space from a normalizer and no pre-tokenizer.
  static var phi3: GGUFPipeline {
    var pipeline = llama
    pipeline.normalizer = object([
      ("type", .string("Sequence")),
      (
        "normalizers",
        .array([
          object([("type", .string("Prepend")), ("prepend", .string(space))]),
          object([("type", .string("Replace")), ("pattern", pattern(" ")), ("content", .string(space))]),
        ])
      ),
    ])
    pipeline.preTokenizer = .null
    return pipeline
  }

  /// GemmaTokenizer: spaces replaced by ▁ and split after, no prefix, unk "<unk>" in the model.
  static var gemma: GGUFPipeline {
    var pipeline = GGUFPipeline()
    pipeline.normalizer = object([
      ("type", .string("Replace")), ("pattern", pattern(" ")), ("content", .string(space)),
    ])
    pipeline.preTokenizer = object([
      ("type", .string("Split")), ("pattern", pattern(" ")), ("behavior", .string("MergedWithPrevious")),
      ("invert", .bool(false)),
    ])
    pipeline.decoder = sentencePieceDecoder(strip: false)
    pipeline.unknownToken = "<unk>"
    pipeline.classDefaults = ["<bos>", "<eos>", "<unk>", "<pad>", "<mask>"]
    return pipeline
  }

  /// set_split_regex: a Split on the vocabulary's own pattern, then ByteLevel without its regex.
  mutating func split(_ regex: String) {
    preTokenizer = Self.object([
      ("type", .string("Sequence")),
      (
        "pretokenizers",
        .array([
          Self.object([
            ("type", .string("Split")), ("pattern", Self.object([("Regex", .string(regex))])),
            ("behavior", .string("Isolated")),
            ("invert", .bool(false)),
          ]),
          Self.object([
            ("type", .string("ByteLevel")), ("add_prefix_space", .bool(false)), ("trim_offsets", .bool(true)),
            ("use_regex", .bool(false)),
          ]),
        ])
      ),
    ])
  }
}

/// GGUF_PRE_TOKENIZER_SPLITS: tokenizer.ggml.pre → the split regex transformers applies.
enum GGUFPreTokenizerSplits {
  static let llama3 =
    #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"#
    + #"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
  static let tekken =
    #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+"#
    + #"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*"#
    + #"|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
  static let gpt4o =
    #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#
    + #"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#
    + #"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
  /// models/qwen2/tokenization_qwen2.py's PRETOKENIZE_REGEX.
  static let qwen2 =
    #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
  /// models/qwen3_5/tokenization_qwen3_5.py's PRETOKENIZE_REGEX.
  static let qwen35 =
    #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*"#
    + #"|\s*[\r\n]+|\s+(?!\S)|\s+"#

  static let table: [String: String] = {
    var table: [String: String] = [:]
    for name in [
      "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
      "jina-v5-nano",
      "dbrx", "smaug-bpe",
    ] {
      table[name] = llama3
    }
    table["tekken"] = tekken
    for name in ["qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez"] { table[name] = qwen2 }
    table["qwen35"] = qwen35
    for name in ["gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2"] { table[name] = gpt4o }
    return table
  }()
}
