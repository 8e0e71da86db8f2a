// The header above a heatmap: key labels written across or down their columns, and an index row
// when labels had to be abbreviated (so "internatio…" and "internatio…" can still be told apart).

/// How a heatmap writes its column labels.
public enum ColumnLabelStyle: Sendable {
  /// Each label downwards, one character per line, up to `maxHeaderHeight` lines, truncated with
  /// an ellipsis. The original layout, and the default, so existing screens keep their geometry.
  case vertical
  /// Each label across its own cell, truncated to the cell width less a one-column gap.
  case horizontal
  /// Only column numbers, every n-th where they would not fit (positions and dimensions).
  case indices
  /// Across when every label fits its cell, else downwards when every label fits the header, else
  /// abbreviated downwards with an index row under them.
  case automatic
}

/// The header layout chosen for a set of labels.
struct ColumnHeader {
  enum Layout: Equatable {
    case vertical(lines: Int, indexRow: Bool)
    case horizontal
    case indices
  }

  var layout: Layout

  init(style: ColumnLabelStyle, labels: [String], cellWidth: Int, maxHeight: Int) {
    // Down a column a label takes one line per character; across it takes its terminal columns.
    let longest = labels.map(\.count).max() ?? 0
    let widest = labels.map { TerminalText.columns(of: $0) }.max() ?? 0
    switch style {
    case .vertical: layout = .vertical(lines: min(maxHeight, longest), indexRow: false)
    case .horizontal: layout = .horizontal
    case .indices: layout = .indices
    case .automatic:
      if widest <= cellWidth - 1 {
        layout = .horizontal
      } else if longest <= maxHeight {
        layout = .vertical(lines: longest, indexRow: false)
      } else {
        layout = .vertical(lines: max(0, maxHeight - 1), indexRow: true)
      }
    }
  }

  var height: Int {
    switch layout {
    case .vertical(let lines, let indexRow): lines + (indexRow ? 1 : 0)
    case .horizontal, .indices: 1
    }
  }

  /// Writes the labels of `columns` (absolute indices) from (x, y); `cursor` is highlighted.
  func draw(
    labels: [String], columns: Range<Int>, cellWidth: Int, cursor: Int?, glyphs: Glyphs,
    into canvas: inout Canvas, x: Int, y: Int
  ) {
    let right = x + columns.count * cellWidth
    for column in columns {
      let left = x + (column - columns.lowerBound) * cellWidth
      let attributes: CellAttributes = cursor == column ? [.bold, .reverse] : []
      let label = labels.indices.contains(column) ? labels[column] : ""
      switch layout {
      case .vertical(let lines, _):
        let fitted = Heatmap.fitted(label, lines, ellipsis: glyphs.ellipsis)
        for (line, character) in fitted.enumerated() {
          // A wide character is centred on its two columns (at one column per key it covers the
          // next key's column on that line).
          let columns = TerminalText.columns(of: character)
          canvas.put(
            String(character), x: left + (columns == 1 ? cellWidth / 2 : max(0, cellWidth - 2) / 2),
            y: y + line,
            attributes: attributes)
        }
      case .horizontal:
        let room = max(1, cellWidth - 1)
        canvas.put(
          Heatmap.fitted(label, room, ellipsis: glyphs.ellipsis), x: left, y: y, attributes: attributes)
      case .indices: break
      }
    }
    switch layout {
    case .vertical(let lines, true):
      drawIndices(
        count: labels.count, columns: columns, cellWidth: cellWidth, cursor: cursor, into: &canvas, x: x,
        y: y + lines, right: right)
    case .indices:
      drawIndices(
        count: labels.count, columns: columns, cellWidth: cellWidth, cursor: cursor, into: &canvas, x: x,
        y: y,
        right: right)
    default: break
    }
  }

  /// Column numbers at multiples of a step wide enough for the largest number plus a gap; a number
  /// that would be cut off at the right edge is left out rather than shown misleadingly short.
  func drawIndices(
    count: Int, columns: Range<Int>, cellWidth: Int, cursor: Int?, into canvas: inout Canvas, x: Int, y: Int,
    right: Int
  ) {
    // The step follows the whole axis, not the window, so panning never changes the spacing.
    let step = Self.indexStep(largest: max(0, count - 1), cellWidth: cellWidth)
    for column in columns where column % step == 0 || column == cursor {
      let number = String(column)
      let left = x + (column - columns.lowerBound) * cellWidth + cellWidth / 2
      guard left + number.count <= right else { continue }
      if column == cursor {
        canvas.put(number, x: left, y: y, attributes: [.bold, .reverse])
      } else if cursor.map({ abs($0 - column) * cellWidth > String($0).count + number.count }) ?? true {
        // Skipped where it would touch the cursor's own number, which always shows.
        canvas.put(number, x: left, y: y, attributes: [.dim])
      }
    }
  }

  /// The smallest of 1, 2, 5, 10, 20, 50, … columns per number that leaves a gap between numbers.
  static func indexStep(largest: Int, cellWidth: Int) -> Int {
    let needed = String(largest).count + 1
    var scale = 1
    while true {
      for factor in [1, 2, 5] where factor * scale * max(1, cellWidth) >= needed { return factor * scale }
      scale *= 10
    }
  }
}
