// The attention sink (Xiao et al. 2024, "Efficient Streaming Language Models with Attention Sinks"):
// an LLM's rows put most of their weight on the first key whatever it says, which leaves the rest
// of a heatmap nearly black. `w` hides key 0 and renormalises every row over the keys left, so the
// weight that does depend on content becomes readable; the sink's own mass is shown as a number.
import Foundation
import Render
import Trace

public enum AttentionSink {
  /// One row without key 0: p_j / (1 − p_0) for every visible key j ≥ 1, masked keys kept at 0.
  /// The divisor is the visible keys' own sum Σ_{j≥1} p_j (equal to 1 − p_0 for a row that sums to
  /// 1), so a rounded row still sums to 1; a row whose only visible key is 0 (or whose other keys
  /// got no weight at all) stays empty, all zeros: no division by zero, no NaN.
  /// Returns `row.count − 1` values, for keys 1….
  public static func renormalised(_ row: [Float], masked: [Bool]? = nil) -> [Float] {
    guard row.count > 1 else { return [] }
    let rest = row.indices.dropFirst().map { masked?[$0] == true ? 0 : row[$0] }
    let total = rest.reduce(Float(0), +)
    guard total > 0, total.isFinite else { return rest.map { _ in 0 } }
    return rest.map { $0 / total }
  }

  /// One head's matrix without column 0, each row renormalised, and the mask without column 0.
  public static func hidden(_ entry: AttentionEntry, head: Int) -> (values: [[Float]], masked: [[Bool]]) {
    let masked = maskMatrix(entry, head: head)
    let values = zip(entry.weightMatrix(head: head), masked).map { renormalised($0, masked: $1) }
    return (values, masked.map { Array($0.dropFirst()) })
  }

  /// `[query][key]`: which entries of one head are masked (a future token, outside a window).
  public static func maskMatrix(_ entry: AttentionEntry, head: Int) -> [[Bool]] {
    (0..<entry.queries.count).map { q in
      (0..<entry.keys.count).map { entry.isMasked(head: head, query: q, key: $0) }
    }
  }

  /// The sink's mass of one head: the mean of p_0 over the rows that can see key 0 (a sliding
  /// window hides it from later rows, which then have no sink to speak of); nil when none can.
  public static func meanMass(_ entry: AttentionEntry, head: Int) -> Float? {
    guard !entry.keys.isEmpty else { return nil }
    let rows = entry.queries.indices.filter { !entry.isMasked(head: head, query: $0, key: 0) }
    guard !rows.isEmpty else { return nil }
    let total = rows.reduce(Float(0)) { $0 + entry.weight(head: head, query: $1, key: 0) }
    return total / Float(rows.count)
  }

  /// p_0 of one row; nil where key 0 is masked for it.
  public static func mass(_ entry: AttentionEntry, head: Int, query: Int) -> Float? {
    guard !entry.keys.isEmpty, entry.queries.indices.contains(query),
      !entry.isMasked(head: head, query: query, key: 0)
    else { return nil }
    return entry.weight(head: head, query: query, key: 0)
  }

  /// "sink hidden: rows renormalised without key 1 '<s>'", what the screens say while it is hidden.
  public static func hiddenNote(firstKey: String) -> String {
    "sink hidden: rows renormalised without key 1 '\(Heatmap.fitted(firstKey, 12))'"
  }

  /// "0.62", or "—" where no row sees the sink.
  static func format(_ mass: Float?) -> String {
    mass.map { String(format: "%.2f", Double($0)) } ?? "—"
  }
}
