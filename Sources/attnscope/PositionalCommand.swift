// `attnscope pe`: a positional encoding without the TUI: the sinusoidal table of any size
// (Vaswani et al. 2017, §3.5), or a model's own tables, as ANSI, SVG, CSV or JSON.
import AppCore
import ArgumentParser
import Foundation
import Render
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
    guard ScreenSelections.positionLimits.contains(positions) else {
      throw ValidationError("--positions must be in \(ScreenSelections.positionLimits)")
    }
    guard ScreenSelections.dimensionLimits.contains(dimensions), dimensions % 2 == 0 else {
      throw ValidationError("--dimensions must be even and in \(ScreenSelections.dimensionLimits)")
    }
  }

  func run() throws {
    do {
      let tables = try self.tables()
      switch format {
      case .json: FileHandle.standardOutput.write(try PositionalExport.json(tables) + Data("\n".utf8))
      case .csv: print(PositionalExport.csv(tables), terminator: "")
      case .ansi:
        for table in tables {
          print(ANSIExporter.render(PositionalExport.canvas(table, depth: color), depth: color))
        }
      case .svg:
        let stacked = Canvas.stacked(tables.map { PositionalExport.canvas($0, depth: color) })
        print(SVGExporter.render(stacked, depth: color), terminator: "")
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
        FileHandle.standardError.write(
          Data("attnscope: \(table.name): first \(ScreenSelections.maxModelPositions) positions shown\n".utf8)
        )
      }
      return table
    }
  }
}
