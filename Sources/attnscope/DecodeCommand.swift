import ArgumentParser
import Decoding
import Foundation
// `attnscope decode`: greedy, beam or sampled output of one input with every step recorded, as JSON
// or as plain lines; `--no-cache` recomputes the prefix each step to check the KV cache.
import Tensors
import Tokenization
import Trace
import Workbench

enum DecodeStrategy: String, ExpressibleByArgument, CaseIterable {
  case greedy, beam, sample
}

struct DecodeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "decode", abstract: "Decode one input greedily, by beam search or by sampling.")

  @OptionGroup var modelChoice: ModelChoice
  @OptionGroup var ablation: AblationOption
  @Option(help: "The input sentence (default: the model's own example).")
  var text: String?
  @Option(
    help:
      "greedy, beam or sample (default greedy; beam for a Hugging Face model whose generation config has num_beams > 1)."
  )
  var strategy: DecodeStrategy?
  @Option(
    help: "Beam width (1…16, at most the vocabulary size; default 4, or a Hugging Face model's num_beams).")
  var beam: Int?
  @Option(
    help: "Length penalty α: score = log-prob / length^α (default 0; a Hugging Face model's length_penalty).")
  var alpha: Float?
  @Option(
    name: .customLong("max-len"),
    help:
      "Most tokens to generate, end token included (default 20; a Hugging Face model's generation_config).")
  var maxLength: Int?
  @Option(help: "Sampling seed.")
  var seed: UInt64 = 0
  @Option(help: "Sampling temperature.")
  var temperature: Float = 1
  @Option(name: .customLong("top-k"), help: "Sample from the k most probable tokens (0: all).")
  var topK: Int = 0
  @Option(name: .customLong("top-p"), help: "Sample from the smallest set with probability ≥ p.")
  var topP: Float = 1
  @Flag(name: .customLong("no-cache"), help: "Recompute the whole prefix each step (no KV cache).")
  var noCache = false
  @Flag(help: "Print JSON (hypotheses and every step with its attention).")
  var json = false

  func validate() throws {
    checkFlags { () throws(DomainError) in
      try DecodingDomains.beamWidth.check(beam, "--beam")
      try DecodingDomains.lengthPenalty.check(alpha, "--alpha")
      try DecodingDomains.maxLength.check(maxLength, "--max-len")
      try DecodingDomains.temperature.check(temperature, "--temperature")
      try DecodingDomains.topK.check(topK, "--top-k")
      try DecodingDomains.topP.check(topP, "--top-p")
    }
  }

  func run() throws {
    do {
      let loaded = try ablation.apply(to: try modelChoice.openText())
      let text = self.text ?? loaded.config.defaultText ?? ""
      let source: DecodingSource
      do { source = try loaded.decodingSource(text: text) } catch {
        throw UserFacingError(description: error.description)
      }
      var notices = source.notices
      let maxLength = self.maxLength ?? loaded.defaultMaxLength(source) ?? 20
      let room = loaded.config.maxPositions - source.prefill.count
      if maxLength > room { notices.append("--max-len \(maxLength) cut to \(room) (max_positions)") }
      for notice in notices { Output.notice(notice) }
      let strategy = self.strategy ?? (loaded.policy.prefersBeam ? .beam : .greedy)
      let width = beam ?? loaded.policy.beamWidth
      let result = try decode(
        loaded, source, strategy: strategy, width: width, maxLength: min(maxLength, room))
      let report = DecodeReport(
        loaded, source: source, strategy: strategy, result: result, cached: !noCache)
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase  // log_prob, token_log_probs, chosen_ids
        Output.json(try encoder.encode(report))
      } else {
        for hypothesis in report.hypotheses {
          Output.line(
            String(format: "%8.4f  %8.4f  ", hypothesis.score, hypothesis.logProb)
              + hypothesis.tokens.joined(separator: " "))
        }
      }
    } catch {
      exitWithMessage(error)
    }
  }

  func decode(
    _ loaded: LoadedModel, _ source: DecodingSource, strategy: DecodeStrategy, width: Int, maxLength: Int
  ) throws -> DecodingResult {
    let options = DecodingOptions(
      startToken: source.firstToken, endToken: loaded.endID, maxLength: maxLength)
    // A Hugging Face model gets its generation config's bad words and forced end token.
    let stepModel = loaded.generationStepModel(source, cached: !noCache, maxLength: maxLength)
    let alpha = self.alpha ?? 0
    do {
      switch strategy {
      case .greedy: return try GreedySearch.decode(stepModel, options: options, alpha: alpha)
      case .beam:
        // The model's decoding policy (transformers' early stopping and length penalty for a
        // Hugging Face model), as the TUI's compare screen runs it.
        return try loaded.beamSearch(
          source, width: width, alpha: self.alpha, options: options, cached: !noCache)
      case .sample:
        let chain = Sampling.processors(temperature: temperature, topK: topK, topP: topP)
        return try Sampling.decode(stepModel, processors: chain, seed: seed, alpha: alpha, options: options)
      }
    } catch let error as DecodingError {
      throw UserFacingError(description: error.description)
    }
  }
}

/// The JSON form of a decoding run: hypotheses best first, then every step.
struct DecodeReport: Encodable {
  struct Output: Encodable {
    var tokens: [String]
    var ids: [Int]
    var logProb: Float
    var score: Float
    var finished: Bool
    var tokenLogProbs: [Float]
    /// Its index among the hypotheses of the step that chose its last token.
    var origin: Int
  }
  struct Candidate: Encodable {
    var token: String
    var id: Int
    var probability: Float
  }
  struct Live: Encodable {
    var prefix: [String]
    var logProb: Float
    var candidates: [Candidate]
    var chosen: [String]
    var chosenIds: [Int]
    var attention: [AttentionEntry]
    /// The back-pointer: its index among the previous step's hypotheses (absent at step 0).
    var parent: Int?
  }
  struct Step: Encodable {
    var step: Int
    var hypotheses: [Live]
  }

  var model: String
  var strategy: String
  var cache: Bool
  var source: [String]
  var hypotheses: [Output]
  var steps: [Step]

  init(
    _ loaded: LoadedModel, source: DecodingSource, strategy: DecodeStrategy, result: DecodingResult,
    cached: Bool
  ) {
    func words(_ ids: [Int]) -> [String] { ids.map(loaded.label) }
    model = loaded.name
    self.strategy = strategy.rawValue
    cache = cached
    self.source = source.encoderLabels ?? words(source.prefill + [source.firstToken])
    hypotheses = result.hypotheses.indices.map { index in
      let hypothesis = result.hypotheses[index]
      return Output(
        tokens: words(hypothesis.tokens), ids: hypothesis.tokens, logProb: hypothesis.logProb,
        score: result.scores[index], finished: hypothesis.finished, tokenLogProbs: hypothesis.tokenLogProbs,
        origin: result.origins[index])
    }
    steps = result.steps.map { step in
      Step(
        step: step.index,
        hypotheses: step.hypotheses.map { live in
          Live(
            prefix: words(live.prefix), logProb: live.logProb,
            candidates: live.candidates.map {
              Candidate(token: loaded.label($0.token), id: $0.token, probability: $0.probability)
            },
            chosen: words(live.chosen), chosenIds: live.chosen, attention: live.attention,
            parent: live.parent)
        })
    }
  }
}
