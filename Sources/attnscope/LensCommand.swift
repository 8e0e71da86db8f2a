// `attnscope lens`: the logit lens of one input — every layer's residual stream (0 = embeddings)
// read through the model's final norm and LM head as the top-K next tokens of every position, as
// JSON or as plain lines (Workbench's LogitLens.swift computes it; the decode screen shows the same).
import ArgumentParser
import Foundation
import Tensors
import Transformer
import Workbench

struct LensCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lens",
    abstract: "Read every layer's next-token guess (the logit lens) at every position of one input.")

  @OptionGroup var modelChoice: ModelChoice
  @Option(help: "The input sentence (default: the model's own example).")
  var text: String?
  @Option(help: "Encoder-decoder only: the decoder's target (default: the model's greedy output).")
  var target: String?
  @Option(help: "Tokens per layer and position (1…\(LoadedModel.lensTopLimit)).")
  var top: Int = 5
  @OptionGroup var ablation: AblationOption
  @Flag(help: "Print JSON: per layer and position the top tokens, ids and probabilities.")
  var json = false

  func validate() throws {
    checkFlags { () throws(DomainError) in
      try Domain<Int>.integers(1...LoadedModel.lensTopLimit).check(top, "--top")
    }
  }

  func run() throws {
    do {
      let loaded = try ablation.apply(to: try modelChoice.openText())
      let input = text ?? loaded.config.defaultText ?? ""
      let result = try userFacing { () throws(ModelError) in
        try loaded.lens(text: input, target: target, top: top)
      }
      for notice in result.notices { Output.notice(notice) }
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        Output.json(try encoder.encode(LensReport(model: loaded.name, result: result)))
      } else {
        for line in LensReport.lines(result) { Output.line(line) }
      }
    } catch {
      exitWithMessage(error)
    }
  }
}

/// The JSON form: `layers[l].positions[p].top[k]` = {id, token, probability}.
struct LensReport: Encodable {
  struct Candidate: Encodable {
    var id: Int
    var token: String
    var probability: Float
  }
  struct Position: Encodable {
    var position: Int
    var token: String
    var top: [Candidate]
  }
  struct Layer: Encodable {
    var layer: Int
    var positions: [Position]
  }
  var model: String
  var tokens: [String]
  var layers: [Layer]

  init(model: String, result: LensResult) {
    self.model = model
    tokens = result.tokens
    layers = result.readings.enumerated().map { layer, positions in
      Layer(
        layer: layer,
        positions: positions.enumerated().map { position, candidates in
          Position(
            position: position, token: result.tokens[position],
            top: candidates.map { Candidate(id: $0.id, token: $0.token, probability: $0.probability) })
        })
    }
  }

  /// Per position, one line per layer: "  L2  fox 0.412  dog 0.100 …" (L0: the embeddings).
  static func lines(_ result: LensResult) -> [String] {
    var lines: [String] = []
    for (position, token) in result.tokens.enumerated() {
      lines.append("position \(position + 1) '\(token)' → next token, by layer:")
      for (layer, positions) in result.readings.enumerated() {
        let guesses = positions[position].map { "\($0.token) " + String(format: "%.3f", $0.probability) }
        lines.append(
          "  L\(layer)".padding(toLength: 6, withPad: " ", startingAt: 0) + guesses.joined(separator: "  "))
      }
    }
    return lines
  }
}
