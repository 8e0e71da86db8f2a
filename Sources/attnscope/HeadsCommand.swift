// `attnscope heads`: every head's fingerprint for one input (entropy, sink mass, previous token,
// self, anti-diagonal, and induction on a repeated random sequence) as JSON or a table.
import ArgumentParser
import Foundation
import Trace
import Transformer
import Workbench

struct HeadsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "heads",
    abstract: "Fingerprint every attention head: entropy, sink, previous token, self, induction.",
    discussion: """
      Induction (decoder-only models) is measured on its own input: the prompt's start tokens,
      then 10 distinct random ids (fewer if max_positions is small) drawn with --seed, then the
      same ids again; the score is the mean attention from each token of the second copy to the
      token after its earlier occurrence. Layers and heads in the JSON are 0-based, as in
      `attention --format json`.
      """)

  @OptionGroup var choice: ModelChoice
  @Option(help: "The input sentence (default: the model's own example).")
  var text: String?
  @Option(help: "Seed of the repeated random sequence induction is measured on.")
  var seed: UInt64 = InductionProbe.defaultSeed
  @Flag(help: "Print JSON (every head of every layer and kind).")
  var json = false

  func run() throws {
    do {
      let loaded = try choice.openText()
      let analysis = try userFacing { () throws(ModelError) in
        try loaded.headAnalysis(text: text ?? loaded.config.defaultText ?? "", seed: seed)
      }
      for notice in analysis.notices { Output.notice(notice) }
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        Output.json(try encoder.encode(HeadsReport(analysis, loaded: loaded)))
      } else {
        Output.line(HeadsReport.tableHeader)
        for row in analysis.fingerprints { Output.line(HeadsReport.tableRow(row)) }
      }
    } catch {
      exitWithMessage(error)
    }
  }
}

/// The JSON form of `heads`.
struct HeadsReport: Encodable {
  struct Probe: Encodable {
    var seed: UInt64
    var halfLength: Int
    var ids: [Int]
    var tokens: [String]
    enum CodingKeys: String, CodingKey {
      case seed, ids, tokens
      case halfLength = "half_length"
    }
  }
  struct Head: Encodable {
    var stack: String
    var kind: String
    var layer: Int
    var head: Int
    var metrics: [String: Float]
  }
  var model: String
  var tokens: TokenLabels
  var inductionProbe: Probe?
  var heads: [Head]
  enum CodingKeys: String, CodingKey {
    case model, tokens, heads
    case inductionProbe = "induction_probe"
  }

  init(_ analysis: HeadAnalysis, loaded: LoadedModel) {
    model = analysis.trace.model
    tokens = analysis.trace.tokens
    inductionProbe = analysis.probe.map {
      Probe(seed: $0.seed, halfLength: $0.half.count, ids: $0.ids, tokens: $0.ids.map(loaded.label))
    }
    heads = analysis.fingerprints.map { print in
      Head(
        stack: print.stack.rawValue, kind: print.kind.rawValue, layer: print.layer, head: print.head,
        metrics: Dictionary(uniqueKeysWithValues: print.values.map { ($0.key.rawValue, $0.value) }))
    }
  }

  static let tableHeader =
    "stack    kind    layer head  entropy  sink    prev    self    anti    induction"

  /// One head as a fixed-width row (1-based layer and head, as the screens show them; "-" where a
  /// metric does not apply).
  static func tableRow(_ print: HeadFingerprint) -> String {
    func cell(_ metric: HeadMetric) -> String {
      print[metric].map { String(format: "%-7.3f", Double($0)) } ?? "-      "
    }
    let columns = [HeadMetric.entropy, .sink, .previousToken, .selfScore, .antiDiagonal, .induction].map(cell)
    func padded(_ text: String, _ width: Int) -> String {
      text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
    }
    return padded(print.stack.rawValue, 8) + " " + padded(print.kind.rawValue, 7)
      + String(format: " %5d %4d  ", print.layer + 1, print.head + 1) + columns.joined(separator: " ")
  }
}
