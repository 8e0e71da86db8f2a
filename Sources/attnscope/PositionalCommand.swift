import AppCore
import ArgumentParser
import Decoding
import Foundation
import Render
// `attnscope pe`: a positional encoding without the TUI: the sinusoidal table of any size
// (Vaswani et al. 2017, §3.5), or a model's own tables, as ANSI, SVG, CSV or JSON.
import Tensors
import ViewerHost
import Workbench

struct PositionalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pe", abstract: "Print a positional encoding and its cosine similarity matrix.")

  @Option(help: "A bundled sample's name or a model folder: its own positional tables.")
  var model: String?

  @Option(help: "Sinusoidal table: number of positions (without --model).")
  var positions = 64

  @Option(help: "Sinusoidal table: number of dimensions, even (without --model).")
  var dimensions = 128

  @Option(help: "ansi, svg, csv or json.")
  var format: ExportFormat = .ansi

  @Option(help: "ansi and svg: colour depth (24bit, 256, 16, 8, mono).")
  var color: ColorDepth = .palette256

  func validate() throws {
    checkFlags { () throws(DomainError) in
      try Domain<Int>.integers(ScreenSelections.positionLimits).check(positions, "--positions")
      try Domain<Int>.integers(ScreenSelections.dimensionLimits).check(dimensions, "--dimensions")
      guard dimensions % 2 == 0 else { throw DomainError("--dimensions must be even, got \(dimensions)") }
    }
  }

  func run() throws {
    do {
      let tables = try self.tables()
      switch format {
      case .json: Output.json(try PositionalExport.json(tables))
      case .csv: Output.text(PositionalExport.csv(tables))
      case .ansi:
        for table in tables {
          Output.rendered(
            ANSIExporter.render(PositionalExport.canvas(table, depth: color), depth: color) + "\n")
        }
      case .svg:
        let stacked = Canvas.stacked(tables.map { PositionalExport.canvas($0, depth: color) })
        Output.rendered(SVGExporter.render(stacked, depth: color))
      }
    } catch {
      exitWithMessage(error)
    }
  }

  func tables() throws -> [PositionalTable] {
    guard let model else {
      return [
        PositionalTable(
          name: "sinusoidal",
          values: PositionalEncoding.sinusoidal(positions: positions, dimensions: dimensions))
      ]
    }
    var options = try ModelOptions.parse([])
    options.model = model
    let tables =
      switch try options.open() {
      case .text(let loaded): loaded.positionalTables
      case .image(let loaded): loaded.positionalTables
      }
    guard !tables.isEmpty else { throw UserFacingError(description: "\(model) has no positional table") }
    // Cosine similarity is quadratic in positions: cut long tables as the TUI does.
    return tables.map { table in
      var table = table
      if table.grid == nil, table.values.count > ScreenSelections.maxModelPositions {
        table.values = Array(table.values.prefix(ScreenSelections.maxModelPositions))
        Output.notice("\(table.name): first \(ScreenSelections.maxModelPositions) positions shown")
      }
      return table
    }
  }
}
