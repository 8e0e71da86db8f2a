// Screen 6: scaled dot-product attention for one query token, worked through with its numbers the
// way the formula is taught: Attention(Q, K, V) = softmax(QKᵀ/√d_k)·V (Vaswani et al. 2017, eq. 1).
// For each key: q·k, divided by √d_k, the mask (−∞ where a token may not look), the softmax
// probability; then the output as the probability-weighted sum of the value vectors.
import Foundation
import Render
import Trace

public enum QKDetailScreen {
  /// One key's row of the worked example.
  struct Term {
    var key: String
    /// q·k, when the vectors were recorded (otherwise only the scaled score is known).
    var dot: Float?
    var scaled: Float
    var masked: Bool
    var probability: Float
  }

  public static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    AppView.screen(state, size: size) { canvas, x in
      guard let entry = state.entry, !entry.queries.isEmpty, !entry.keys.isEmpty else {
        canvas.put("nothing to show: the trace has no attention", x: 1, y: 3)
        AttentionScreen.drawStatusLine(" \(state.trace.model) │ q·k detail", into: &canvas)
        return
      }
      let (h, q) = (state.head, state.cursorRow)
      canvas.put(
        "\(entry.stack.rawValue) \(entry.kind.rawValue) · layer \(state.layer + 1)/\(state.layerEntries.count)"
          + " · head \(h + 1)/\(entry.heads)", x: x, y: 1, attributes: [.bold],
        maxWidth: max(0, size.width - x - 1))
      let terms = self.terms(entry, head: h, query: q)
      let vectors = entry.vectors
      let width = size.width - 2
      var y = 3
      canvas.put(
        "Attention(Q,K,V) = softmax(QKᵀ/√d_k)·V   (Vaswani et al. 2017, eq. 1)", x: 1, y: y,
        attributes: [.bold],
        maxWidth: width)
      y += 1
      let dk = vectors.map {
        "d_k = \($0.headDim), √d_k = " + number($0.headDim > 0 ? sqrt(Float($0.headDim)) : 0)
      }
      canvas.put(
        "query '\(entry.queries[q])' (\(q + 1)/\(entry.queries.count))" + (dk.map { " · " + $0 } ?? ""), x: 1,
        y: y, maxWidth: width)
      y += 1
      if let vectors {
        let query = Array(vectors.query(head: h, index: q, queryCount: entry.queries.count))
        canvas.put(
          "q = " + vector(query, width: width - 4, glyphs: state.glyphs), x: 1, y: y, maxWidth: width)
      } else {
        canvas.put(
          "q, k, v were not recorded for this trace: scores and probabilities only", x: 1, y: y,
          attributes: [.dim], maxWidth: width)
      }
      y += 2
      let footer = vectors == nil ? 1 : 4
      let rows = max(1, size.height - 3 - y - 1 - footer - 1)
      y = drawTable(terms, state: state, into: &canvas, y: y, rows: rows, width: width)
      if let vectors {
        drawOutput(entry, vectors, terms: terms, state: state, into: &canvas, y: y + 1, width: width)
      }
      AttentionScreen.drawStatusLine(status(state, entry: entry, terms: terms), into: &canvas)
    }
  }

  /// The worked numbers for every key of one query.
  static func terms(_ entry: AttentionEntry, head: Int, query: Int) -> [Term] {
    let vectors = entry.vectors
    let q = vectors.map { Array($0.query(head: head, index: query, queryCount: entry.queries.count)) }
    return entry.keys.indices.map { k in
      let masked = entry.isMasked(head: head, query: query, key: k)
      var dot: Float? = nil
      var scaled = entry.score(head: head, query: query, key: k)
      if let vectors, let q {
        let key = vectors.key(head: head, index: k, keyCount: entry.keys.count)
        let product = zip(q, key).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        dot = product
        scaled = product / sqrt(Float(max(1, vectors.headDim)))
      }
      return Term(
        key: entry.keys[k], dot: dot, scaled: scaled, masked: masked,
        probability: entry.weight(head: head, query: query, key: k))
    }
  }

  /// The table of keys, panned to keep the cursor's key visible; returns the row after it.
  static func drawTable(
    _ terms: [Term], state: AppState, into canvas: inout Canvas, y: Int, rows: Int, width: Int
  ) -> Int {
    let labelWidth = min(14, max(3, terms.map(\.key.count).max() ?? 3))
    func pad(_ text: String, _ n: Int) -> String {
      text.count >= n ? String(text.prefix(n)) : String(repeating: " ", count: n - text.count) + text
    }
    let key = "key".padding(toLength: labelWidth, withPad: " ", startingAt: 0)
    let header = "  \(key) \(pad("q·k", 9)) \(pad("÷√d_k", 9)) \(pad("+ mask", 7)) \(pad("softmax p", 10))"
    canvas.put(header, x: 1, y: y, attributes: [.bold, .underline], maxWidth: width)
    let barX = 1 + header.count + 1
    let barWidth = max(0, min(30, width - header.count - 1))
    let visible = Pan.window(count: terms.count, visible: rows, cursor: state.cursorColumn)
    var row = y + 1
    for index in visible {
      let term = terms[index]
      let selected = index == state.cursorColumn
      let marker = selected ? String(state.glyphs.marker) : " "
      let label = Heatmap.fitted(term.key, labelWidth, ellipsis: state.glyphs.ellipsis)
        .padding(toLength: labelWidth, withPad: " ", startingAt: 0)
      let dot = term.dot.map { number($0) } ?? "—"
      let mask = term.masked ? "−∞" : "0"
      let line =
        "\(marker) \(label) \(pad(dot, 9)) \(pad(number(term.scaled), 9)) \(pad(mask, 7)) "
        + pad(String(format: "%.4f", Double(term.probability)), 10)
      canvas.put(
        line, x: 1, y: row, attributes: selected ? [.bold, .reverse] : term.masked ? [.dim] : [],
        maxWidth: width)
      if barWidth > 0, !term.masked {
        canvas.put(
          BarChartWidget.bar(fraction: Double(term.probability), width: barWidth, glyphs: state.glyphs),
          x: barX,
          y: row, foreground: .ansi(14), maxWidth: barWidth)
      }
      row += 1
    }
    if visible.count < terms.count {
      canvas.put(
        "(\(visible.lowerBound + 1)–\(visible.upperBound) of \(terms.count) keys; ←→ scroll)", x: 3, y: row,
        attributes: [.dim], maxWidth: width)
      row += 1
    }
    let total = terms.filter { !$0.masked }.reduce(Float(0)) { $0 + $1.probability }
    canvas.put(
      "  " + String(repeating: " ", count: labelWidth) + "  softmax: p_j = exp(s_j) / Σ exp(s_i)   Σ p = "
        + String(format: "%.4f", Double(total)), x: 1, y: row, attributes: [.dim], maxWidth: width)
    return row + 1
  }

  /// The cursor key's k and v, the output vector, and its largest terms p_j·v_j.
  static func drawOutput(
    _ entry: AttentionEntry, _ vectors: HeadVectors, terms: [Term], state: AppState,
    into canvas: inout Canvas,
    y: Int, width: Int
  ) {
    let (h, q, k) = (state.head, state.cursorRow, state.cursorColumn)
    let (nq, nk) = (entry.queries.count, entry.keys.count)
    guard entry.keys.indices.contains(k) else { return }
    let keyLabel = "'\(Heatmap.fitted(entry.keys[k], 12, ellipsis: state.glyphs.ellipsis))'"
    for (row, (name, values)) in [
      ("k", vectors.key(head: h, index: k, keyCount: nk)),
      ("v", vectors.value(head: h, index: k, keyCount: nk)),
    ].enumerated() {
      let line = "\(name)(\(keyLabel)) = "
      canvas.put(
        line + vector(Array(values), width: width - line.count, glyphs: state.glyphs), x: 1, y: y + row,
        maxWidth: width)
    }
    let output = Array(vectors.output(head: h, index: q, queryCount: nq))
    let oLine = "output = Σ p_j·v_j = "
    canvas.put(
      oLine + vector(output, width: width - oLine.count, glyphs: state.glyphs), x: 1, y: y + 2,
      attributes: [.bold],
      maxWidth: width)
    let largest = terms.indices.filter { !terms[$0].masked }.sorted {
      terms[$0].probability > terms[$1].probability
    }
    let sum = largest.prefix(4).map {
      String(format: "%.3f", Double(terms[$0].probability)) + "·v('\(Heatmap.fitted(terms[$0].key, 10))')"
    }.joined(separator: " + ")
    canvas.put(
      String(repeating: " ", count: oLine.count - 2) + "= " + sum + (largest.count > 4 ? " + …" : ""), x: 1,
      y: y + 3, attributes: [.dim], maxWidth: width)
  }

  static func status(_ state: AppState, entry: AttentionEntry, terms: [Term]) -> String {
    let k = state.cursorColumn
    var text =
      " \(state.trace.model) │ q·k │ \(entry.stack.rawValue) \(entry.kind.rawValue) │ layer \(state.layer + 1)"
      + " head \(state.head + 1) │ '\(entry.queries[state.cursorRow])'"
    guard terms.indices.contains(k) else { return text }
    let term = terms[k]
    text += " → '\(term.key)'"
    if term.masked { return text + " masked (−∞ before the softmax, p = 0)" }
    if let dot = term.dot { text += " q·k " + number(dot) }
    return text + " ÷√d_k " + number(term.scaled) + String(format: " p %.4f", Double(term.probability))
  }

  /// A number in a fixed short form: 3 decimals, or 3 significant digits in exponent form for the
  /// very large and very small.
  static func number(_ value: Float) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : value < 0 ? "−∞" : "∞" }
    let magnitude = abs(value)
    if magnitude != 0, magnitude < 0.001 || magnitude >= 100_000 {
      return String(format: "%.2e", Double(value))
    }
    return String(format: "%.3f", Double(value))
  }

  /// "[ 0.120 -0.530 … 0.331 ] (64)": as many leading entries as fit, the last one, and the length.
  static func vector(_ values: [Float], width: Int, glyphs: Glyphs) -> String {
    let parts = values.map { number($0) }
    let suffix = " ] (\(values.count))"
    var shown: [String] = []
    var used = 2 + suffix.count
    for (index, part) in parts.enumerated() {
      let isLast = index == parts.count - 1
      let reserve = isLast ? 0 : 2 + (parts.last?.count ?? 0) + 1
      if used + part.count + 1 + reserve > width, !isLast {
        shown.append(String(glyphs.ellipsis))
        shown.append(parts.last!)
        break
      }
      shown.append(part)
      used += part.count + 1
    }
    return "[ " + shown.joined(separator: " ") + suffix
  }
}
