// GGUF files (llama.cpp's and Ollama's format, ggml's docs/gguf.md) on the model seam. The file's
// metadata becomes the transformers config.json transformers itself builds when it loads a GGUF
// (integrations/ggml.py's GGUF_CONFIG_MAPPING), and its tensors are seen under transformers'
// names (gguf-py's tensor name map), so the same family files (LlamaFamily.swift …) open it and
// every screen shows what the model's Hugging Face folder shows. The weights stay in their GGML
// blocks in the memory map; as transformers does on load, llama's q/k rows are put back in
// Hugging Face order and Gemma's norm weights lose the 1 that llama.cpp's converter added.
import Foundation
import GGUF
import HuggingFace
import JSON
import Tensors
import Tokenization
import Transformer

enum GGUFModelFile: ModelFormatReader {
  static func reads(_ folder: ModelFolder) -> Bool {
    guard folder.isFile, let handle = FileHandle(forReadingAtPath: folder.path) else { return false }
    defer { try? handle.close() }
    return (try? handle.read(upToCount: 4)) == Data("GGUF".utf8)
  }

  static func open(_ folder: ModelFolder) throws(ModelError) -> OpenedModel {
    let file: GGUFFile
    do { file = try GGUFFile.load(path: folder.path) } catch { throw ModelError(error.description) }
    let architecture = try GGUFConfig.architecture(file)
    let config = try GGUFConfig.configJSON(file, architecture: architecture)
    let checkpoint = try GGUFCheckpoint(file: file, architecture: architecture, config: config)
    let hf = try HuggingFaceModel(
      source: folder.url, config: config, checkpoint: checkpoint, generationFolder: nil, origin: "GGUF")
    let tokenizer = try GGUFTokenizer.load(file)
    return .text(
      LoadedModel(
        name: folder.name, folder: folder.path, config: hf.config, model: try hf.transformerModel(),
        format: try HuggingFaceText(hf, tokenizer: tokenizer)))
  }
}

/// GGUF metadata → a transformers config.json.
enum GGUFConfig {
  /// GGUF architectures attnscope opens, and the model_type transformers gives each.
  static let modelTypes = [
    "llama": "llama", "mistral": "mistral", "qwen2": "qwen2", "qwen3": "qwen3", "gemma3": "gemma3_text",
    "phi3": "phi3",
  ]

  static func architecture(_ file: GGUFFile) throws(ModelError) -> String {
    let name: String
    do { name = try file.string("general.architecture") } catch { throw ModelError(error.description) }
    guard modelTypes[name] != nil else {
      throw ModelError(
        "\(file.fileName): architecture \"\(name)\" is not supported (supported: "
          + modelTypes.keys.sorted().joined(separator: ", ") + ")")
    }
    return name
  }

  /// `{arch}.key` → config.json key, as transformers maps them (plus the keys it leaves out that
  /// change the numbers: rope scaling, Phi-3's partial rotary, sliding windows everywhere).
  static let keys: [(gguf: String, config: String)] = [
    ("context_length", "max_position_embeddings"), ("block_count", "num_hidden_layers"),
    ("feed_forward_length", "intermediate_size"), ("embedding_length", "hidden_size"),
    ("attention.head_count", "num_attention_heads"), ("attention.head_count_kv", "num_key_value_heads"),
    ("attention.layer_norm_rms_epsilon", "rms_norm_eps"), ("rope.freq_base", "rope_theta"),
    ("attention.key_length", "head_dim"), ("attention.sliding_window", "sliding_window"),
    ("vocab_size", "vocab_size"),
  ]

  static func configJSON(_ file: GGUFFile, architecture: String) throws(ModelError) -> JSONValue {
    var object: [String: JSONValue] = ["model_type": .string(modelTypes[architecture]!)]
    do {
      for (key, name) in keys {
        let full = "\(architecture).\(key)"
        guard file.contains(key: full) else { continue }
        let value = try file.value(full)
        if let number = value.numberJSON { object[name] = number }
      }
      if object["vocab_size"] == nil, let tokens = try file.arrayIfPresent("tokenizer.ggml.tokens") {
        object["vocab_size"] = .number(JSONNumber(tokens.count))
      }
      if let dimensions = try file.intIfPresent("\(architecture).rope.dimension_count") {
        let head = try headDim(file, architecture: architecture, object)
        if dimensions != head {
          object["partial_rotary_factor"] = .double(Double(dimensions) / Double(head))
        }
      }
      if let type = try file.stringIfPresent("\(architecture).rope.scaling.type"), type != "none" {
        var scaling: [String: JSONValue] = ["rope_type": .string(type)]
        if let factor = try file.floatIfPresent("\(architecture).rope.scaling.factor") {
          scaling["factor"] = .double(Double(factor))
        }
        object["rope_scaling"] = .members(scaling)
      }
      if architecture == "qwen2" || architecture == "qwen3", object["sliding_window"] != nil {
        object["use_sliding_window"] = .bool(true)
      }
      for (key, name) in [
        ("bos_token_id", "bos_token_id"), ("eos_token_id", "eos_token_id"),
        ("padding_token_id", "pad_token_id"),
        ("unknown_token_id", "unk_token_id"),
      ] {
        if let id = try file.intIfPresent("tokenizer.ggml.\(key)") { object[name] = .number(JSONNumber(id)) }
      }
    } catch { throw ModelError(error.description) }
    if file.tensors.contains(where: { $0.name == GGUFCheckpoint.ropeFrequencyFactors }) {
      guard object["rope_scaling"] == nil else {
        throw ModelError(
          "\(file.fileName): both rope.scaling.type and a \(GGUFCheckpoint.ropeFrequencyFactors) tensor; "
            + "attnscope applies one rope scaling, not both")
      }
      object["rope_scaling"] = try ropeFrequencyFactors(file)
    }
    // llama.cpp writes no output.weight when the LM head is the embedding.
    object["tie_word_embeddings"] = .bool(!file.tensors.contains { $0.name == "output.weight" })
    return .members(object)
  }

  /// Llama 3.1's scaling as llama.cpp's converter stores it: a `rope_freqs` tensor of one divisor
  /// per rotated pair, which llama.cpp applies and transformers' GGUF loader drops (so a model
  /// with it opens in transformers with unscaled positions; attnscope follows llama.cpp, the
  /// program that runs these files). Its length is checked against the rotated pairs when the
  /// config is validated.
  static func ropeFrequencyFactors(_ file: GGUFFile) throws(ModelError) -> JSONValue {
    let factors: [Float]
    do { factors = try file.floats(GGUFCheckpoint.ropeFrequencyFactors) } catch {
      throw ModelError(error.description)
    }
    return .members([
      "rope_type": .string("frequency_factors"),
      "factors": .array(factors.map { JSONValue.double(Double($0)) }),
    ])
  }

  /// head_dim as the family will read it: attention.key_length, else hidden / heads.
  static func headDim(_ file: GGUFFile, architecture: String, _ object: [String: JSONValue]) throws(GGUFError)
    -> Int
  {
    if let key = try file.intIfPresent("\(architecture).attention.key_length") { return key }
    let hidden = try file.int("\(architecture).embedding_length")
    let heads = try file.int("\(architecture).attention.head_count")
    return heads > 0 ? hidden / heads : 0
  }
}

extension GGUFValue {
  /// A numeric metadata value as a JSON number (Float32 values widened exactly, as Python reads them).
  var numberJSON: JSONValue? {
    switch self {
    case .uint8(let v): .number(JSONNumber(Int(v)))
    case .int8(let v): .number(JSONNumber(Int(v)))
    case .uint16(let v): .number(JSONNumber(Int(v)))
    case .int16(let v): .number(JSONNumber(Int(v)))
    case .uint32(let v): .number(JSONNumber(Int(v)))
    case .int32(let v): .number(JSONNumber(Int(v)))
    case .uint64(let v): v <= UInt64(Int.max) ? .number(JSONNumber(Int(v))) : nil
    case .int64(let v): .number(JSONNumber(Int(v)))
    case .float32(let v): .double(Double(v))
    case .float64(let v): .double(v)
    default: nil
    }
  }
}

extension JSONValue {
  /// A finite number (null for NaN or an infinity, which JSON cannot hold).
  static func double(_ value: Double) -> JSONValue { JSONNumber(value).map { .number($0) } ?? .null }

  /// An object from a dictionary, keys sorted (JSON objects are ordered here).
  static func members(_ dictionary: [String: JSONValue]) -> JSONValue {
    .object(dictionary.sorted { $0.key < $1.key }.map { JSONMember(key: $0.key, value: $0.value) })
  }
}

/// A GGUF file's tensors under transformers' names.
struct GGUFCheckpoint: CheckpointTensors {
  let file: GGUFFile
  /// transformers name → GGUF name; a GGUF tensor nothing maps keeps its own name (and is then
  /// reported as unexpected, never silently dropped).
  let ggufNames: [String: String]
  /// Llama's q and k rows are stored interleaved per head (convert_hf_to_gguf.py's permute).
  let permutedHeads: [String: Int]
  /// Gemma: llama.cpp stores 1 + w for every norm weight.
  let subtractsOneFromNorms: Bool

  /// Read into the config's rope scaling (GGUFConfig.ropeFrequencyFactors), not a weight.
  static let ropeFrequencyFactors = "rope_freqs.weight"

  init(file: GGUFFile, architecture: String, config: JSONValue) throws(ModelError) {
    self.file = file
    var names: [String: String] = [:]
    for info in file.tensors where info.name != Self.ropeFrequencyFactors {
      names[Self.transformersName(info.name, architecture: architecture)] = info.name
    }
    ggufNames = names
    var permuted: [String: Int] = [:]
    if architecture == "llama" {
      let heads = config["num_attention_heads"]?.numberValue?.intValue ?? 1
      let kvHeads = config["num_key_value_heads"]?.numberValue?.intValue ?? heads
      for (hf, _) in names where hf.hasSuffix("self_attn.q_proj.weight") { permuted[hf] = heads }
      for (hf, _) in names where hf.hasSuffix("self_attn.k_proj.weight") { permuted[hf] = kvHeads }
    }
    permutedHeads = permuted
    subtractsOneFromNorms = architecture == "gemma3"
  }

  /// gguf-py's TensorNameMap, read backwards, for the families here.
  static func transformersName(_ name: String, architecture: String) -> String {
    switch name {
    case "token_embd.weight": return "model.embed_tokens.weight"
    case "output_norm.weight": return "model.norm.weight"
    case "output.weight": return "lm_head.weight"
    default: break
    }
    let parts = name.split(separator: ".", maxSplits: 2).map(String.init)
    guard parts.count == 3, parts[0] == "blk", let layer = Int(parts[1]) else { return name }
    let gemma = architecture == "gemma3"
    let map: [String: String] = [
      "attn_norm.weight": "input_layernorm.weight",
      "attn_q.weight": "self_attn.q_proj.weight", "attn_q.bias": "self_attn.q_proj.bias",
      "attn_k.weight": "self_attn.k_proj.weight", "attn_k.bias": "self_attn.k_proj.bias",
      "attn_v.weight": "self_attn.v_proj.weight", "attn_v.bias": "self_attn.v_proj.bias",
      "attn_output.weight": "self_attn.o_proj.weight", "attn_output.bias": "self_attn.o_proj.bias",
      "attn_qkv.weight": "self_attn.qkv_proj.weight",
      "attn_q_norm.weight": "self_attn.q_norm.weight", "attn_k_norm.weight": "self_attn.k_norm.weight",
      "ffn_norm.weight": gemma ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight",
      "post_attention_norm.weight": "post_attention_layernorm.weight",
      "post_ffw_norm.weight": "post_feedforward_layernorm.weight",
      "ffn_gate.weight": "mlp.gate_proj.weight",
      "ffn_up.weight": architecture == "phi3" ? "mlp.gate_up_proj.weight" : "mlp.up_proj.weight",
      "ffn_down.weight": "mlp.down_proj.weight",
    ]
    guard let mapped = map[parts[2]] else { return name }
    return "model.layers.\(layer).\(mapped)"
  }

  var names: [String] { Array(ggufNames.keys) }
  var displayName: String { file.fileName }
  func contains(_ name: String) -> Bool { ggufNames[name] != nil }

  func info(_ name: String) -> GGUFTensorInfo? {
    guard let gguf = ggufNames[name] else { return nil }
    return file.tensors.first { $0.name == gguf }
  }

  func shape(_ name: String) throws(ModelError) -> [Int] {
    guard let info = info(name) else { throw ModelError("\(file.fileName): no tensor for '\(name)'") }
    return info.shape
  }

  func floats(_ name: String) throws(ModelError) -> [Float] {
    guard let gguf = ggufNames[name] else { throw ModelError("\(file.fileName): no tensor for '\(name)'") }
    var values: [Float]
    do { values = try file.floats(gguf) } catch { throw ModelError(error.description) }
    if let index = values.firstIndex(where: { !$0.isFinite }) {
      throw ModelError(
        "\(file.fileName): tensor '\(gguf)': \(values[index]) at element \(index); weights must be finite numbers"
      )
    }
    if let heads = permutedHeads[name], let shape = info(name)?.shape, shape.count == 2 {
      let order = Self.headOrder(rows: shape[0], heads: heads)
      values = order.flatMap { values[($0 * shape[1])..<(($0 + 1) * shape[1])] }
    }
    // transformers' Gemma2TensorProcessor: `weights - 1` on every "norm.weight", in Float32.
    if subtractsOneFromNorms, gguf.hasSuffix("norm.weight") { values = values.map { $0 - 1 } }
    return values
  }

  func packedRows(_ name: String) throws(ModelError) -> (any PackedRows)? {
    guard let gguf = ggufNames[name], let info = info(name), info.dimensions.count == 2, info.type != .f32
    else { return nil }
    let matrix: GGUFMatrix
    do { matrix = try file.matrix(gguf) } catch { throw ModelError(error.description) }
    if let heads = permutedHeads[name] {
      return PermutedGGUFMatrix(matrix, order: Self.headOrder(rows: matrix.rows, heads: heads))
    }
    return matrix
  }

  /// transformers' `_reverse_permute_weights`: within each head the GGUF rows run (pair, half),
  /// Hugging Face's (half, pair); row (h, half a, pair b) comes from GGUF row h·2d + 2b + a.
  static func headOrder(rows: Int, heads: Int) -> [Int] {
    let half = rows / max(1, heads) / 2
    guard half > 0, heads * 2 * half == rows else { return Array(0..<rows) }
    var order: [Int] = []
    order.reserveCapacity(rows)
    for h in 0..<heads {
      for a in 0..<2 {
        for b in 0..<half { order.append(h * 2 * half + 2 * b + a) }
      }
    }
    return order
  }
}
