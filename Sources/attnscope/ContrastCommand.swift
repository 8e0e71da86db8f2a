// `attnscope contrast`: one word in two inputs — per layer the cosine similarity of its contextual
// vectors (0 = embeddings), and per layer and head its attention row in each input.
import ArgumentParser
import Foundation
import Trace
import Transformer
import Workbench

struct ContrastCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "contrast",
    abstract: "Compare one word's contextual vectors and attention across two inputs.",
    discussion: """
      Give --text twice and --word once (the same word in both) or twice (one per input).
      A word that occurs more than once uses its first occurrence; WORD@N picks the N-th.
      Layers and heads in the JSON are 0-based; layer 0 of "cosine" is the embeddings.
      """)

  @OptionGroup var choice: ModelChoice
  @Option(name: .customLong("text"), help: "An input; give it twice.")
  var texts: [String] = []
  @Option(
    name: .customLong("word"), help: "The word to contrast (WORD@N: its N-th occurrence); once or twice.")
  var words: [String] = []
  @Flag(help: "Print JSON (per layer the cosine, per layer and head both attention rows).")
  var json = false

  func run() throws {
    do {
      // Counted here, not in validate(), which ArgumentParser also runs for --help.
      guard texts.count == 2 else {
        throw UserFacingError(description: "contrast needs --text twice (got \(texts.count))")
      }
      guard (1...2).contains(words.count) else {
        throw UserFacingError(description: "contrast needs --word once or twice (got \(words.count))")
      }
      let loaded = try choice.openText()
      let run = try userFacing { () throws(ModelError) in
        try loaded.contrast(first: texts[0], second: texts[1], word: words[0], secondWord: words.last)
      }
      for notice in run.notices { Output.notice(notice) }
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        Output.json(try encoder.encode(ContrastReport(run)))
      } else {
        Output.line(
          "'\(run.first.word)' (token \(run.first.position + 1)) vs '\(run.second.word)' (token \(run.second.position + 1))"
        )
        for (layer, cosine) in run.cosines.enumerated() {
          let name = layer == 0 ? "embeddings" : "layer \(layer)"
          Output.line(
            name.padding(toLength: 11, withPad: " ", startingAt: 0) + String(format: "%8.5f", Double(cosine)))
        }
      }
    } catch {
      exitWithMessage(error)
    }
  }
}

/// The JSON form of `contrast`.
struct ContrastReport: Encodable {
  struct Side: Encodable {
    var text: String
    var tokens: [String]
    var position: Int
    var word: String
  }
  struct Head: Encodable {
    var layer: Int
    var head: Int
    /// The word's attention row over input 1's tokens, and over input 2's.
    var first: [Float]
    var second: [Float]
  }
  var model: String
  var inputs: [Side]
  var cosine: [Float]
  var attention: [Head]

  init(_ run: ContrastRun) {
    model = run.model
    inputs = [run.first, run.second].map {
      Side(text: $0.text, tokens: $0.tokens, position: $0.position, word: $0.word)
    }
    cosine = run.cosines
    attention = (0..<run.layers).flatMap { layer in
      (0..<run.heads).compactMap { head in
        guard let a = run.first.row(layer: layer, head: head),
          let b = run.second.row(layer: layer, head: head)
        else { return nil }
        return Head(layer: layer, head: head, first: a, second: b)
      }
    }
  }
}
