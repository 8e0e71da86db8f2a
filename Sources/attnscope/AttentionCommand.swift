import AppCore
import ArgumentParser
import Decoding
import Foundation
import Render
// `attnscope attention`: the attention of one input as JSON, CSV or ANSI heatmaps, without a TUI.
import Tensors
import Trace
import ViewerHost

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
  case json, csv, ansi, svg
}

struct AttentionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attention", abstract: "Print every attention matrix of one input.")

  @OptionGroup var modelOptions: ModelOptions
  @OptionGroup var ablation: AblationOption

  @Option(help: "json, csv, ansi or svg.")
  var format: ExportFormat = .json

  @Option(help: "ansi and svg: colour depth (24bit, 256, 16, 8, mono).")
  var color: ColorDepth = .palette256

  @Option(help: "Only this layer (1-based).")
  var layer: Int?

  @Option(help: "Only this head (1-based) of each matrix.")
  var head: Int?

  @Option(
    help: ArgumentHelp(
      "Write to this file instead of standard output.",
      discussion: "Written beside it under a temporary name and renamed at the end: a failed export"
        + " (a full disk) leaves no partial file."))
  var output: String?

  func validate() throws {
    checkFlags { () throws(DomainError) in
      try FlagDomains.position.check(layer, "--layer")
      try FlagDomains.position.check(head, "--head")
    }
  }

  func run() throws {
    do {
      var result = try modelOptions.traceAnyModel(ablation: ablation)
      do {
        result.trace = try result.trace.selecting(layer: layer.map { $0 - 1 }, head: head.map { $0 - 1 })
      } catch { throw UserFacingError(description: error.description) }
      for notice in result.notices {
        Output.notice(notice)
      }
      if let output {
        try ExportFile.write(to: output) { write in try export(result.trace, write) }
      } else {
        try export(result.trace) { try FileHandle.standardOutput.write(contentsOf: Data($0)) }
      }
    } catch {
      exitWithMessage(error)
    }
  }

  /// Writes the trace in `format` through `write`: JSON and CSV as they go (one entry computed at a
  /// time, so memory stays flat whatever the input's length), ANSI and SVG as one rendered text.
  func export(_ trace: AttentionTrace, _ write: @escaping ([UInt8]) throws -> Void) throws {
    var chunks = ChunkWriter(sink: write)
    switch format {
    case .json:
      try TraceExport.writeJSON(trace, to: &chunks)
      try chunks.append("\n")
    case .csv: try TraceExport.writeCSV(trace, to: &chunks, sanitizing: true)
    case .ansi: try chunks.append(TraceExport.ansi(trace, depth: color))
    case .svg: try chunks.append(TraceExport.svg(trace, depth: color))
    }
    try chunks.finish()
  }
}

extension ColorDepth: ExpressibleByArgument {}
