// Headless forms of a trace: every head as an ANSI heatmap, or one CSV row per weight.
import Foundation
import Render
import Trace

public enum TraceExport {
  /// Each selected entry and head as a titled heatmap with a legend.
  public static func ansi(_ trace: AttentionTrace, depth: ColorDepth, heads: [Int]? = nil) -> String {
    canvases(trace, depth: depth, heads: heads).map { ANSIExporter.render($0, depth: depth) + "\n" }.joined()
  }

  /// The same heatmaps stacked into one SVG picture, a blank row between them.
  public static func svg(_ trace: AttentionTrace, depth: ColorDepth, heads: [Int]? = nil) -> String {
    SVGExporter.render(Canvas.stacked(canvases(trace, depth: depth, heads: heads)), depth: depth)
  }

  /// One titled canvas per selected entry and head.
  static func canvases(_ trace: AttentionTrace, depth: ColorDepth, heads: [Int]?) -> [Canvas] {
    var output: [Canvas] = []
    for entry in trace.attention {
      for head in heads?.filter({ $0 < entry.heads }) ?? Array(0..<entry.heads) {
        let data = HeatmapData(
          values: entry.weightMatrix(head: head),
          masked: (0..<entry.queries.count).map { q in
            (0..<entry.keys.count).map { entry.isMasked(head: head, query: q, key: $0) }
          }, rowLabels: entry.queries, columnLabels: entry.keys)
        let widget = HeatmapWidget(data: data, depth: depth)
        let title = "\(trace.model): \(entry.title), head \(head + 1)/\(entry.heads)"
        var canvas = Canvas(width: max(widget.size.width, 44, title.count), height: widget.size.height + 3)
        canvas.put(title, x: 0, y: 0, attributes: [.bold])
        widget.draw(into: &canvas, x: 0, y: 1)
        LegendWidget(depth: depth).draw(into: &canvas, x: 0, y: widget.size.height + 2)
        output.append(canvas)
      }
    }
    return output
  }

  /// `stack,kind,layer,head,query_index,query,key_index,key,weight,score` with RFC 4180 quoting;
  /// a masked entry has an empty score.
  public static func csv(_ trace: AttentionTrace) -> String {
    var bytes: [UInt8] = []
    var output = ChunkWriter { bytes.append(contentsOf: $0) }
    // The sink only appends to memory, so neither call can throw.
    try! writeCSV(trace, to: &output, sanitizing: false)
    try! output.finish()
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The CSV table written as it goes, one entry computed at a time (memory stays at one entry).
  /// `sanitizing` passes each row through `TerminalText.sanitizedLines`, as the CLI's `Output.text`
  /// does for the whole table (the same bytes, since it works on one code point at a time).
  public static func writeCSV(_ trace: AttentionTrace, to output: inout ChunkWriter, sanitizing: Bool) throws
  {
    try output.append("stack,kind,layer,head,query_index,query,key_index,key,weight,score\n")
    for index in 0..<trace.entryCount {
      let entry = trace.entry(at: index)
      // Labels are the only text that is not ASCII digits and punctuation: sanitised once each.
      let clean = { (label: String) in sanitizing ? TerminalText.sanitizedLines(quoted(label)) : quoted(label)
      }
      let queries = entry.queries.map(clean)
      let keys = entry.keys.map(clean)
      let prefix = "\(entry.stack.rawValue),\(entry.kind.rawValue),\(entry.layer),"
      for h in 0..<entry.heads {
        for q in 0..<entry.queries.count {
          for k in 0..<entry.keys.count {
            let score = entry.score(head: h, query: q, key: k)
            let row =
              prefix + "\(h),\(q),\(queries[q]),\(k),\(keys[k]),"
              + "\(entry.weight(head: h, query: q, key: k)),\(score.isFinite ? String(score) : "")\n"
            try output.append(row)
          }
        }
      }
    }
  }

  static func quoted(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return field
    }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
