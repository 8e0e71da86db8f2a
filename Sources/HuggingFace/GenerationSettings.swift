import Decoding
import Foundation
// What `generate` would do by default for a Hugging Face model: generation_config.json where
// present, else the same keys in config.json, else transformers' GenerationConfig defaults.
import Tensors
import Transformer

public struct GenerationSettings: Sendable, Equatable {
  /// Total length including the decoder start token (encoder-decoder) or the prompt (decoder-only).
  public var maxLength: Int = 20
  /// When set, wins over `maxLength`: tokens generated after the prompt.
  public var maxNewTokens: Int?
  public var numBeams: Int = 1
  /// Beam scores are log-prob / generated length^lengthPenalty.
  public var lengthPenalty: Float = 1
  /// false (the heuristic), true (stop once `numBeams` are finished) or "never" (exact bound).
  public var earlyStopping: EarlyStopping = .heuristic
  /// Single-token entries are banned at every step; a longer one bans its last token after the rest.
  public var badWordsIDs: [[Int]] = []
  /// Forced as the last token when the maximum length is reached.
  public var forcedEOSTokenID: Int?
  /// Ends a hypothesis (the first one is used; transformers allows several).
  public var eosTokenIDs: [Int] = []
  /// The first decoder token of an encoder-decoder model (Marian: the pad token).
  public var decoderStartTokenID: Int?
  public var padTokenID: Int?
  /// Options read but not applied, each named once for the user.
  public var ignored: [String] = []

  public enum EarlyStopping: String, Sendable, Equatable {
    case heuristic = "false"
    case finished = "true"
    case never
  }

  public init() {}

  /// Ids banned everywhere: the single-token entries of bad_words_ids.
  public var bannedTokenIDs: Set<Int> { Set(badWordsIDs.filter { $0.count == 1 }.map { $0[0] }) }

  /// Tokens `generate` may add after a prompt of `promptLength` (decoder start included).
  public func newTokenBudget(promptLength: Int) -> Int {
    max(0, maxNewTokens ?? (maxLength - promptLength))
  }

  static func load(folder: URL?, config: HFJSON) throws(ModelError) -> GenerationSettings {
    let file = folder?.appendingPathComponent("generation_config.json")
    let hasFile = file.map { FileManager.default.fileExists(atPath: $0.path) } ?? false
    let json = hasFile ? try HFJSON.load(folder!, "generation_config.json") : config
    var settings = GenerationSettings()
    // Each number in its domain (Decoding's Domain, as the flags), named by file and key.
    func checked<Value>(_ value: Value?, _ key: String, _ domain: Domain<Value>) throws(ModelError) -> Value?
    {
      guard let value else { return nil }
      do { try domain.check(value, "\(json.file): \(key)") } catch { throw ModelError(error.description) }
      return value
    }
    let atLeastOne = Domain<Int>.integers(atLeast: 1)
    settings.maxLength = try checked(json.int("max_length"), "max_length", atLeastOne) ?? settings.maxLength
    settings.maxNewTokens = try checked(json.int("max_new_tokens"), "max_new_tokens", atLeastOne)
    // Any count loads; `decode` says when it is more than beam search takes (1…16).
    settings.numBeams = try checked(json.int("num_beams"), "num_beams", atLeastOne) ?? 1
    settings.lengthPenalty =
      try checked(
        json.double("length_penalty").map(Float.init), "length_penalty", DecodingDomains.lengthPenalty)
      ?? 1
    if let raw = json.value["early_stopping"], !raw.isNull {
      if raw.boolValue == true { settings.earlyStopping = .finished }
      if raw.stringValue == "never" { settings.earlyStopping = .never }
    }
    if let raw = json.value["bad_words_ids"]?.arrayValue {
      settings.badWordsIDs = raw.map { ($0.arrayValue ?? []).compactMap { $0.numberValue?.intValue } }
        .filter { !$0.isEmpty }
    }
    // Token ids fall back to config.json, which older folders keep them in.
    func ids(_ key: String) throws(ModelError) -> [Int]? {
      if let found = try json.ids(key) { return found }
      return try config.ids(key)
    }
    settings.forcedEOSTokenID = try ids("forced_eos_token_id")?.first
    settings.eosTokenIDs = try ids("eos_token_id") ?? []
    settings.decoderStartTokenID = try ids("decoder_start_token_id")?.first
    settings.padTokenID = try ids("pad_token_id")?.first
    for (key, neutral) in [
      ("repetition_penalty", 1.0), ("no_repeat_ngram_size", 0), ("min_length", 0), ("min_new_tokens", 0),
      ("encoder_no_repeat_ngram_size", 0),
    ] where try json.double(key).map({ $0 != neutral }) ?? false {
      settings.ignored.append(key)
    }
    if try json.bool("do_sample") == true { settings.ignored.append("do_sample (greedy or beam is used)") }
    return settings
  }
}
