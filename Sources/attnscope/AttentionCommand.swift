import AppCore
import ArgumentParser
import Decoding
import Foundation
import Render
// `attnscope attention`: the attention of one input as JSON, CSV or ANSI heatmaps, without a TUI.
import Tensors
import Trace

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
  case json, csv, ansi, svg
}

struct AttentionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attention", abstract: "Print every attention matrix of one input.")

  @OptionGroup var modelOptions: ModelOptions

  @Option(help: "json, csv, ansi or svg.")
  var format: ExportFormat = .json

  @Option(help: "ansi and svg: colour depth (24bit, 256, 16, 8, mono).")
  var color: ColorDepth = .palette256

  @Option(help: "Only this layer (1-based).")
  var layer: Int?

  @Option(help: "Only this head (1-based) of each matrix.")
  var head: Int?

  func validate() throws {
    checkFlags { () throws(DomainError) in
      try FlagDomains.position.check(layer, "--layer")
      try FlagDomains.position.check(head, "--head")
    }
  }

  func run() throws {
    do {
      var result = try modelOptions.traceAnyModel()
      do {
        result.trace = try result.trace.selecting(layer: layer.map { $0 - 1 }, head: head.map { $0 - 1 })
      } catch { throw UserFacingError(description: error.description) }
      for notice in result.notices {
        Output.notice(notice)
      }
      switch format {
      case .json:
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        Output.json(try encoder.encode(result.trace))
      case .csv: Output.text(TraceExport.csv(result.trace))
      case .ansi: Output.rendered(TraceExport.ansi(result.trace, depth: color))
      case .svg: Output.rendered(TraceExport.svg(result.trace, depth: color))
      }
    } catch {
      exitWithMessage(error)
    }
  }
}

extension ColorDepth: ExpressibleByArgument {}
