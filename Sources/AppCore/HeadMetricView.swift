// Screen 5 by head fingerprint (Trace's HeadFingerprints): `c` colours every layer × head cell by
// one metric instead of its thumbnail (the layer × head score grids of TransformerLens's
// induction-head demos), `r` lists the heads ranked by it, `f` hides the heads below a fraction
// of the best. The fingerprints come with the trace (the host adds induction for decoder-only models).
import Foundation
import Render
import Trace

/// What screen 5 shows of the head fingerprints.
public struct HeadMetricSelection: Sendable {
  /// Every head of the trace, with induction where the host measured it.
  public var prints: [HeadFingerprint] = []
  /// The metric the grid is coloured by; nil: the attention thumbnails.
  public var metric: HeadMetric?
  /// A ranked list of the heads by `metric` in place of the grid.
  public var ranked = false
  /// Index into `filterFractions`: heads below that fraction of the best value are hidden.
  public var filterStep = 0

  public init() {}

  static let filterFractions: [Float] = [0, 0.25, 0.5, 0.75]
  public var filterFraction: Float { Self.filterFractions[filterStep] }
}

enum HeadMetricView {
  /// The fingerprint of `head` in `entry`, if the host sent one.
  static func print(_ state: AppState, _ entry: AttentionEntry, head: Int) -> HeadFingerprint? {
    state.headMetrics.prints.first {
      $0.stack == entry.stack && $0.kind == entry.kind && $0.layer == entry.layer && $0.head == head
    }
  }

  /// The metrics that some head of the shown kind has.
  static func available(_ state: AppState) -> [HeadMetric] {
    guard let entry = state.entry else { return [] }
    let prints = state.headMetrics.prints.filter { $0.stack == entry.stack && $0.kind == entry.kind }
    return HeadMetric.allCases.filter { metric in prints.contains { $0[metric] != nil } }
  }

  /// The shown kind's heads that have the metric, best first (ties by layer, then head); filtered.
  static func ranking(_ state: AppState) -> [HeadFingerprint] {
    guard let metric = state.headMetrics.metric, let entry = state.entry else { return [] }
    let prints = state.headMetrics.prints.filter {
      $0.stack == entry.stack && $0.kind == entry.kind && $0[metric] != nil && passes($0, state)
    }
    return prints.sorted {
      $0[metric]! != $1[metric]! ? $0[metric]! > $1[metric]! : ($0.layer, $0.head) < ($1.layer, $1.head)
    }
  }

  /// The largest value of the metric over the shown kind's heads (the colour scale's top).
  static func maximum(_ state: AppState) -> Float {
    guard let metric = state.headMetrics.metric, let entry = state.entry else { return 1 }
    let values = state.headMetrics.prints.filter { $0.stack == entry.stack && $0.kind == entry.kind }
      .compactMap { $0[metric] }
    return max(values.max() ?? 0, .leastNonzeroMagnitude)
  }

  /// Whether a head survives the `f` filter.
  static func passes(_ print: HeadFingerprint, _ state: AppState) -> Bool {
    guard let metric = state.headMetrics.metric, let value = print[metric] else { return false }
    return value >= state.headMetrics.filterFraction * maximum(state)
  }

  /// The one-cell matrix a coloured cell draws (value / maximum), and the value; nil when the grid
  /// shows thumbnails. A filtered-out head draws masked (empty).
  static func cell(_ state: AppState, _ entry: AttentionEntry, head: Int)
    -> (matrix: [[Float]], masked: [[Bool]], value: Float?)?
  {
    guard let metric = state.headMetrics.metric else { return nil }
    guard let print = print(state, entry, head: head), let value = print[metric] else {
      return ([[0]], [[true]], nil)
    }
    return ([[value / maximum(state)]], [[!passes(print, state)]], value)
  }

  /// The number under a coloured cell ("0.87"; "-" where the metric does not apply).
  static func label(_ value: Float?) -> String {
    value.map { String(format: "%.2f", Double($0)) } ?? "-"
  }

  /// The line above the legend while a metric is shown.
  static func infoLine(_ state: AppState) -> String? {
    guard let metric = state.headMetrics.metric else { return nil }
    let filter =
      state.headMetrics.filterStep == 0
      ? "f hides weak heads"
      : "showing heads ≥ \(Int(state.headMetrics.filterFraction * 100))% of the best (f)"
    return "colour: \(metric.title)\(metric == .entropy ? " (nats)" : "") · \(filter) · r ranks · c next · "
      + describe(metric)
  }

  /// Beside the legend while a metric is shown: what the colour scale means.
  static func legendNote(_ state: AppState) -> String? {
    guard state.headMetrics.metric != nil else { return nil }
    return "  value ÷ the best (" + label(maximum(state)) + ") · Enter: open on screen 1"
  }

  static func describe(_ metric: HeadMetric) -> String {
    switch metric {
    case .entropy: "mean row entropy"
    case .sink: "mean weight on key 1"
    case .previousToken: "mean weight on t−1"
    case .selfScore: "mean weight on t"
    case .antiDiagonal: "source read backwards"
    case .induction: "repeated random tokens: 2nd copy → token after the 1st"
    }
  }

  /// The ranked list: "rank  L2 H3  value  bar", the selected head reversed.
  static func drawRanking(_ state: AppState, into canvas: inout Canvas) {
    guard let metric = state.headMetrics.metric else { return }
    let ranking = ranking(state)
    let (top, rows) = (3, max(1, canvas.height - 8))
    canvas.put(
      "heads by \(metric.title), best first (\(ranking.count) shown"
        + (state.headMetrics.filterStep == 0
          ? "" : ", ≥ \(Int(state.headMetrics.filterFraction * 100))% of the best")
        + ") · ↑↓ pick · Enter opens · r grid",
      x: 1, y: 2, attributes: [.dim], maxWidth: canvas.width - 2)
    let selected = ranking.firstIndex { $0.layer == state.layer && $0.head == state.head }
    let first = Pan.window(count: ranking.count, visible: rows, cursor: selected ?? 0).lowerBound
    let items = ranking.dropFirst(first).prefix(rows).enumerated().map { offset, print in
      BarChartItem(
        label: "\(first + offset + 1). L\(print.layer + 1) H\(print.head + 1)", value: Double(print[metric]!))
    }
    var chart = BarChartWidget(items: items)
    chart.glyphs = state.glyphs
    chart.scale = Double(maximum(state))
    chart.selected = selected.map { $0 - first }
    chart.maxLabelWidth = 14
    chart.draw(into: &canvas, x: 1, y: top, width: min(canvas.width - 2, 70), height: rows)
  }
}

extension AppState {
  /// Fingerprints of the current trace: the host's (with induction) or, where it sent none, the
  /// ones the trace alone gives.
  mutating func updateFingerprints(_ prints: [HeadFingerprint]?) {
    // A trace that computes on demand (a long input) is not read whole for them: that would undo
    // what computing on demand saves.
    headMetrics.prints = trace.computesOnDemand ? [] : prints ?? HeadFingerprints.fingerprints(trace)
    if let metric = headMetrics.metric, !HeadMetricView.available(self).contains(metric) {
      headMetrics.metric = nil
      headMetrics.ranked = false
    }
  }
}

/// `c` `C` `r` `f` on screen 5, and ↑↓ through the ranking while it is shown; false for other keys.
func handleHeadMetricKey(_ key: Key, _ state: inout AppState) -> Bool {
  let available = HeadMetricView.available(state)
  switch key {
  case .character("c"), .character("C"):
    guard !available.isEmpty else {
      state.notice =
        state.trace.computesOnDemand
        ? "no head fingerprints for a long input (its attention is computed per layer on demand)"
        : "no head fingerprints for this trace"
      return true
    }
    // Thumbnails, then each metric in turn, then thumbnails again.
    let cycle: [HeadMetric?] = [nil] + available
    let index = cycle.firstIndex { $0 == state.headMetrics.metric } ?? 0
    let step = key == .character("c") ? 1 : cycle.count - 1
    state.headMetrics.metric = cycle[(index + step) % cycle.count]
    if state.headMetrics.metric == nil { state.headMetrics.ranked = false }
    state.notice = state.headMetrics.metric.map { "colour by \($0.title)" } ?? "thumbnails"
  case .character("r"):
    if state.headMetrics.metric == nil { state.headMetrics.metric = available.first }
    guard state.headMetrics.metric != nil else {
      state.notice =
        state.trace.computesOnDemand
        ? "no head fingerprints for a long input (its attention is computed per layer on demand)"
        : "no head fingerprints for this trace"
      return true
    }
    state.headMetrics.ranked.toggle()
  case .character("f"):
    guard state.headMetrics.metric != nil else {
      state.notice = "f filters by the colouring metric: pick one with c first"
      return true
    }
    state.headMetrics.filterStep =
      (state.headMetrics.filterStep + 1) % HeadMetricSelection.filterFractions.count
  case .up, .down, .character("k"), .character("j"):
    guard state.headMetrics.ranked, state.headMetrics.metric != nil else { return false }
    let ranking = HeadMetricView.ranking(state)
    guard !ranking.isEmpty else { return true }
    let current = ranking.firstIndex { $0.layer == state.layer && $0.head == state.head }
    let step = key == .up || key == .character("k") ? -1 : 1
    let next = current.map { min(max(0, $0 + step), ranking.count - 1) } ?? 0
    (state.layer, state.head) = (ranking[next].layer, ranking[next].head)
  default: return false
  }
  return true
}
