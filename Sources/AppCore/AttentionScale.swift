// How the attention screen maps a head onto the terminal: labelled cells as wide (and tall) as
// fill the window, or — for inputs wider than the window — a pooled overview of the whole matrix
// that `z` zooms into, halving the queries and keys per cell down to one key per cell, and then
// labelled cells again. The levels are computed from the matrix and the window, so `z` and `Z`
// always reach both ends.
import Render

/// The attention screen's zoom (`z` / `Z`); nil in `ScreenSelections` means "fit the window".
public enum AttentionScale: Equatable, Sendable {
  /// Every cell one (query, key) pair, `width` columns wide, with token labels.
  case cells(width: Int)
  /// Pooled: the overview's queries and keys per cell, each divided by `divisor` (1: everything).
  case pooled(divisor: Int)
}

/// The matrix area of one frame: its size in cells and the matrix it shows.
struct AttentionArea {
  var width: Int
  var height: Int
  var queries: Int
  var keys: Int
  var rowLabelWidth: Int
  /// Matrix rows per terminal row in the overview: 2 with half blocks, else 1.
  var rowsPerCell: Int
  /// Rows and columns the overview takes from the area for its caption, key axis and row axis.
  static let overviewCaptionRows = 2
  var overviewAxisWidth: Int { String(queries).count + 2 }
  var overviewColumns: Int { max(1, width - overviewAxisWidth) }
  var overviewRows: Int { max(1, height - Self.overviewCaptionRows) }

  /// Cell widths `z` steps through once every key has its own cell.
  static let cellWidths = [1, 2, 3, 5, 8]

  /// The automatic scale: the widest labelled cells that show every key, or the overview when
  /// the keys do not fit one column each.
  var fit: AttentionScale {
    let room = width - rowLabelWidth
    guard keys > 0, room >= keys else { return .pooled(divisor: 1) }
    return .cells(width: max(1, room / keys))
  }

  /// Queries and keys per pooled cell at `divisor`: the overview's (everything in the area) divided.
  func factors(divisor: Int) -> (queries: Int, keys: Int) {
    let rows = overviewRows * rowsPerCell
    let overviewKeys = (keys + overviewColumns - 1) / overviewColumns
    let overviewQueries = (queries + rows - 1) / rows
    let d = max(1, divisor)
    return (max(1, (overviewQueries + d - 1) / d), max(1, (overviewKeys + d - 1) / d))
  }

  /// The scale `steps` levels closer (positive) or farther from `scale`.
  func zoomed(_ scale: AttentionScale, by steps: Int) -> AttentionScale {
    var current = scale
    for _ in 0..<abs(steps) { current = steps > 0 ? closer(current) : farther(current) }
    return current
  }

  private func closer(_ scale: AttentionScale) -> AttentionScale {
    switch scale {
    case .pooled(let divisor):
      return factors(divisor: divisor) == (1, 1) ? .cells(width: 1) : .pooled(divisor: divisor * 2)
    case .cells(let width):
      return .cells(width: Self.cellWidths.first { $0 > width } ?? width)
    }
  }

  private func farther(_ scale: AttentionScale) -> AttentionScale {
    switch scale {
    case .pooled(let divisor): return .pooled(divisor: max(1, divisor / 2))
    case .cells(let width):
      if let previous = Self.cellWidths.last(where: { $0 < width }) { return .cells(width: previous) }
      // Below one column per key: the closest pooled level that still pools something.
      guard factors(divisor: 1) != (1, 1) else { return .cells(width: 1) }
      var divisor = 1
      while factors(divisor: divisor * 2) != (1, 1) { divisor *= 2 }
      return .pooled(divisor: divisor)
    }
  }

  /// The overview's window (first query and key, both multiples of their factor so cells do not
  /// shift while the cursor moves inside the window) around the cursor.
  func window(divisor: Int, cursorRow: Int, cursorKey: Int) -> PoolingWindow {
    let f = factors(divisor: divisor)
    let rowCells = overviewRows * rowsPerCell
    let rows = Pan.window(
      count: (queries + f.queries - 1) / f.queries, visible: rowCells, cursor: cursorRow / f.queries)
    let columns = Pan.window(
      count: (keys + f.keys - 1) / f.keys, visible: overviewColumns, cursor: cursorKey / f.keys)
    return PoolingWindow(
      firstRow: rows.lowerBound * f.queries, firstKey: columns.lowerBound * f.keys, rowsPerCell: f.queries,
      keysPerCell: f.keys, rows: rows.count, columns: columns.count)
  }
}
