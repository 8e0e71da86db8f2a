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
    var lines = ["stack,kind,layer,head,query_index,query,key_index,key,weight,score"]
    for entry in trace.attention {
      for h in 0..<entry.heads {
        for q in 0..<entry.queries.count {
          for k in 0..<entry.keys.count {
            let score = entry.score(head: h, query: q, key: k)
            lines.append(
              [
                entry.stack.rawValue, entry.kind.rawValue, String(entry.layer), String(h), String(q),
                quoted(entry.queries[q]), String(k), quoted(entry.keys[k]),
                String(entry.weight(head: h, query: q, key: k)), score.isFinite ? String(score) : "",
              ].joined(separator: ","))
          }
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func quoted(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return field
    }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
