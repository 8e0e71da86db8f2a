// The numbers behind screen 7 and `attnscope pe`: the sinusoidal table of "Attention Is All You Need"
// (Trace's `SinusoidalTable`, the formula the engine uses too) and cosine similarities between
// positions; a model's own table arrives from the host as a `PositionalTable`.
import Foundation
import Trace

public enum PositionalEncoding {
  /// [positions][dimensions]: PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(…).
  public static func sinusoidal(positions: Int, dimensions: Int) -> [[Float]] {
    SinusoidalTable.rows(positions: positions, dimensions: dimensions)
  }

  /// cos(PE_i, PE_j) for every pair of rows, in [−1, 1]; a zero row (ViT's [CLS] in a fixed 2-D
  /// table) has similarity 0 with everything.
  public static func cosineSimilarity(_ rows: [[Float]]) -> [[Float]] {
    let norms = rows.map { sqrt($0.reduce(Float(0)) { $0 + $1 * $1 }) }
    var result = Array(repeating: Array(repeating: Float(0), count: rows.count), count: rows.count)
    for i in rows.indices {
      for j in i..<rows.count {
        let denominator = norms[i] * norms[j]
        guard denominator > 0 else { continue }
        var dot: Float = 0
        for (a, b) in zip(rows[i], rows[j]) { dot += a * b }
        let similarity = max(-1, min(1, dot / denominator))
        result[i][j] = similarity
        result[j][i] = similarity
      }
    }
    return result
  }

  /// The table screen 7 shows now: the sinusoidal one (source 0) at the chosen size, or the model's
  /// table `source − 1`, cut to the rows asked for.
  public static func selected(_ state: AppState) -> PositionalTable {
    let selections = state.selections
    let source = min(max(0, selections.positionalSource), state.positionalTables.count)
    guard source > 0 else {
      let (n, d) = (selections.sinusoidPositions, selections.sinusoidDimensions)
      return PositionalTable(
        name: "sinusoidal \(n)×\(d)", values: state.positionalMemo.sinusoidal(positions: n, dimensions: d))
    }
    var table = state.positionalTables[source - 1]
    let limit = shownRows(table, selections: selections)
    if limit < table.values.count {
      table.values = Array(table.values.prefix(limit))
      table.rowLabels = table.rowLabels.map { Array($0.prefix(limit)) }
    }
    return table
  }

  /// How many rows of a model's table are shown: all of a patch grid (it is small), else the
  /// chosen number, at most `maxModelPositions`.
  static func shownRows(_ table: PositionalTable, selections: ScreenSelections) -> Int {
    if table.grid != nil { return table.values.count }
    let wanted = selections.modelPositions ?? 128
    return min(table.values.count, min(ScreenSelections.maxModelPositions, max(2, wanted)))
  }
}
