// Headless forms of a positional table (`attnscope pe`): the PE matrix and its cosine similarity as
// a picture (ANSI, SVG), or the numbers (CSV, JSON).
import Foundation
import Render

public enum PositionalExport {
  /// Widest matrix drawn, in columns; larger tables are pooled (by magnitude) to it.
  public static let maxWidth = 128

  /// Title, the PE matrix, then the similarity matrix (per-patch maps for a patch grid), with scales.
  public static func canvas(_ table: PositionalTable, depth: ColorDepth, glyphs: Glyphs = .unicode) -> Canvas
  {
    let rows = table.values.count
    let columns = table.values.first?.count ?? 0
    var encoding = DenseHeatmapWidget(values: table.values, depth: depth)
    encoding.glyphs = glyphs
    encoding.useDivergingScale()
    let encodingBox = encoding.fittedSize(width: maxWidth, height: 64)
    let rowsCompared = PositionalEncodingScreen.similarityRows(table)
    let similarity = PositionalEncoding.cosineSimilarity(rowsCompared)
    var cosine = DenseHeatmapWidget(values: similarity, depth: depth)
    cosine.glyphs = glyphs
    cosine.colorMap = .diverging
    cosine.range = -1...1
    cosine.pooling = .mean
    let side = min(maxWidth, similarity.count)
    let cosineBox = (width: side, height: max(1, side / 2))
    let title = "\(table.name): \(rows) positions × \(columns) dimensions"
    let rotary = RotaryReading.of(table)
    let encodingTitle = rotary.map {
      "sin, cos(p·fᵢ) of each pair's angle (rows: positions, columns: pairs, "
        + ($0.wavelengthRange.dropFirst().first ?? "") + ")"
    }
    // A rotary table's labels are longer than the others': the canvas widens for them.
    let labels = [encodingTitle?.count, rotary?.similarityTitles(plot: false)[0].count].compactMap { $0 }
    let width = max(title.count, encodingBox.width + 2, cosineBox.width + 2, 60, labels.max() ?? 0)
    let height = 1 + 1 + encodingBox.height + 2 + cosineBox.height + 2
    var canvas = Canvas(width: width, height: height)
    var state = AppState(
      trace: .init(model: "", tokens: .init(), attention: []), modelDescription: "", depth: depth)
    state.glyphs = glyphs
    canvas.put(title, x: 0, y: 0, attributes: [.bold])
    canvas.put(
      encodingTitle ?? "PE (rows: positions, columns: dimensions)", x: 0, y: 1, attributes: [.dim])
    encoding.draw(into: &canvas, x: 0, y: 2, width: encodingBox.width, height: encodingBox.height)
    var y = 2 + encodingBox.height + 1
    let gridTitle = table.grid.map { "cosine similarity of each of the \($0.rows)×\($0.columns) patches" }
    canvas.put(
      rotary?.similarityTitles(plot: false).first ?? gridTitle ?? "cos(PE_i, PE_j)", x: 0, y: y,
      attributes: [.dim])
    y += 1
    cosine.draw(into: &canvas, x: 0, y: y, width: cosineBox.width, height: cosineBox.height, stretch: true)
    y += cosineBox.height
    let used = PositionalEncodingScreen.drawScale(
      ValueRange.symmetric(table.values), label: "PE", state: state, into: &canvas, x: 0, y: y)
    PositionalEncodingScreen.drawScale(
      -1...1, label: "cosine", state: state, into: &canvas, x: used + 3, y: y)
    return canvas
  }

  /// `table,matrix,row,column,value`: "encoding" rows are (position, dimension), "similarity" rows
  /// (position, position).
  public static func csv(_ tables: [PositionalTable]) -> String {
    var lines = ["table,matrix,row,column,value"]
    for table in tables {
      let name = TraceExport.quoted(table.name)
      for (row, values) in table.values.enumerated() {
        for (column, value) in values.enumerated() {
          lines.append("\(name),encoding,\(row),\(column),\(value)")
        }
      }
      for (row, values) in PositionalEncoding.cosineSimilarity(PositionalEncodingScreen.similarityRows(table))
        .enumerated()
      {
        for (column, value) in values.enumerated() {
          lines.append("\(name),similarity,\(row),\(column),\(value)")
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `{"tables": [{"name", "positions", "dimensions", "encoding", "similarity", "row_labels"?, "grid"?,
  /// "rotary_frequencies"?}]}`.
  public static func json(_ tables: [PositionalTable]) throws -> Data {
    struct Grid: Encodable {
      var rows: Int
      var columns: Int
      var leading_rows: Int
    }
    struct Table: Encodable {
      var name: String
      var positions: Int
      var dimensions: Int
      var encoding: [[Float]]
      var similarity: [[Float]]
      var row_labels: [String]?
      var grid: Grid?
      /// A rotary table's fᵢ per pair (radians per token).
      var rotary_frequencies: [Float]?
    }
    struct Document: Encodable { var tables: [Table] }
    let document = Document(
      tables: tables.map {
        Table(
          name: $0.name, positions: $0.values.count, dimensions: $0.values.first?.count ?? 0,
          encoding: $0.values,
          similarity: PositionalEncoding.cosineSimilarity(PositionalEncodingScreen.similarityRows($0)),
          row_labels: $0.rowLabels,
          grid: $0.grid.map { Grid(rows: $0.rows, columns: $0.columns, leading_rows: $0.leadingRows) },
          rotary_frequencies: RotaryReading.of($0)?.frequencies)
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(document)
  }
}
