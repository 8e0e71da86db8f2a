// Screen 4: the beam search's hypotheses at every step as a tree, with the selected node's attention.
import Foundation
import Render

/// One drawn line of the beam tree. Never-kept candidates are leaves, dimmed and marked ✗.
struct BeamTreeRow: Equatable {
  var node: Int
  /// The tree lines in front of the token ("│  ├─ ").
  var guides: String
  /// The tokens from the root's child down to this node.
  var path: [String]
  /// On the way to one of the returned hypotheses (others are pruned and dimmed).
  var kept: Bool
  /// On greedy search's path.
  var greedy: Bool
}

public enum BeamTreeScreen {
  /// The tree in drawing order: depth first, better children first. The layout (order and guides)
  /// is TreeWidget's, so there is one tree layout; this adds what a beam node means.
  static func rows(_ run: CompareRun) -> [BeamTreeRow] {
    let tree = run.tree
    var children = Array(repeating: [Int](), count: tree.count)
    for (index, node) in tree.enumerated() {
      if let parent = node.parent, children.indices.contains(parent), parent < index {
        children[parent].append(index)
      }
    }
    for index in children.indices {
      children[index].sort {
        tree[$0].logProb != tree[$1].logProb ? tree[$0].logProb > tree[$1].logProb : $0 < $1
      }
    }
    let roots = tree.indices.filter { tree[$0].parent == nil }
    func widgetNode(_ index: Int) -> TreeNode {
      TreeNode(tree[index].token, children: children[index].map(widgetNode))
    }
    func isPrefix(_ path: [String], of tokens: [String]) -> Bool {
      path.count <= tokens.count && Array(tokens.prefix(path.count)) == path
    }
    return TreeWidget(roots: roots.map(widgetNode)).rows.map { row in
      // row.path: the root's place among the roots, then each child's rank under its parent.
      var index = roots[row.path[0]]
      var path: [String] = []
      for rank in row.path.dropFirst() {
        index = children[index][rank]
        path.append(tree[index].token)
      }
      return BeamTreeRow(
        node: index, guides: row.guides, path: path,
        kept: !tree[index].neverKept && run.beam.contains { isPrefix(path, of: $0.tokens) },
        greedy: isPrefix(path, of: run.greedy.tokens))
    }
  }

  public static func view(_ state: AppState, size: (width: Int, height: Int)) -> Canvas {
    AppView.screen(state, size: size) { canvas, x in
      canvas.put(state.compare.settingsLine, x: x, y: 1, attributes: [.bold])
      guard let run = state.compare.run, !run.tree.isEmpty else {
        if state.compare.run == nil {
          AppView.drawWaiting(state, into: &canvas)
        } else {
          canvas.put("no beam tree recorded", x: 1, y: 3)
        }
        AttentionScreen.drawStatusLine(" \(state.trace.model) │ beam tree", into: &canvas)
        return
      }
      let rows = rows(run)
      let selected = min(max(0, state.compare.treeNode), rows.count - 1)
      let node = run.tree[rows[selected].node]
      // The selected node's cross-attention takes the rows above the legend, the tree the rest.
      var attentionHeight = 0
      var header = 0
      if let attention = node.crossAttention {
        header = min(10, attention.keys.map(\.count).max() ?? 0)
        attentionHeight = header + 3
      }
      let top = 3
      let legendY = size.height - 3
      let treeRows = max(1, legendY - top - attentionHeight - (attentionHeight > 0 ? 1 : 0))
      let visible = Pan.window(count: rows.count, visible: treeRows, cursor: selected)
      for (offset, index) in visible.enumerated() {
        drawRow(rows[index], run: run, selected: index == selected, into: &canvas, y: top + offset)
      }
      if let attention = node.crossAttention {
        let y = top + treeRows + 1
        canvas.put(
          "cross-attention of '\(Heatmap.fitted(node.token, 12))'  layer \(state.decode.layer + 1)/"
            + "\(attention.layers)  head \(state.decode.head + 1)/\(attention.heads(layer: state.decode.layer))",
          x: 1, y: y, attributes: [.bold], maxWidth: size.width - 2)
        _ = DecodeScreen.drawRow(
          attention, state: state, into: &canvas, x: 1, y: y + 1, header: header, width: size.width - 2)
      }
      LegendWidget(depth: state.depth).draw(into: &canvas, x: 1, y: legendY)
      let row = rows[selected]
      let prefix = ([run.tree[rows[0].node].token] + row.path).joined(separator: " ")
      AttentionScreen.drawStatusLine(
        " \(state.trace.model) │ beam tree │ node \(selected + 1)/\(rows.count) │ \(prefix) │ log-prob "
          + String(format: "%.4f", node.logProb) + " score "
          + String(format: "%.4f", node.score)
          + (node.finished ? " │ finished" : node.neverKept ? " │ never kept" : row.kept ? "" : " │ pruned"),
        into: &canvas)
    }
  }

  /// "g " for the greedy path, the tree lines, the token and its cumulative log-prob, markers.
  static func drawRow(
    _ row: BeamTreeRow, run: CompareRun, selected: Bool, into canvas: inout Canvas, y: Int
  ) {
    let node = run.tree[row.node]
    var attributes: CellAttributes = row.kept ? [] : [.dim]
    if row.greedy { attributes.insert(.bold) }
    if selected { attributes = [.reverse, .bold] }
    let text =
      (row.greedy ? "g " : "  ") + row.guides + node.token + " "
      + String(format: "%.3f", node.logProb) + (node.finished ? " ■ end" : node.neverKept ? " ✗" : "")
    canvas.put(text, x: 1, y: y, attributes: attributes, maxWidth: canvas.width - 2)
  }
}

/// Keys of the beam tree: select a node, layer and head of its attention, beam width and α.
func handleTree(_ key: Key, _ state: inout AppState) -> [Effect] {
  let count = state.compare.run.map { BeamTreeScreen.rows($0).count } ?? 0
  let node = state.compare.run.flatMap { run -> BeamNode? in
    let rows = BeamTreeScreen.rows(run)
    return rows.indices.contains(state.compare.treeNode) ? run.tree[rows[state.compare.treeNode].node] : nil
  }
  let heads = max(1, node?.crossAttention?.heads(layer: state.decode.layer) ?? 1)
  var effects: [Effect] = []
  switch key {
  case .up, .character("k"): state.compare.treeNode -= 1
  case .down, .character("j"): state.compare.treeNode += 1
  case .home: state.compare.treeNode = 0
  case .end: state.compare.treeNode = count - 1
  case .character("]"): state.decode.head = (state.decode.head + 1) % heads
  case .character("["): state.decode.head = (state.decode.head + heads - 1) % heads
  case .character(">"), .character("."):
    state.decode.layer = min(state.decode.layer + 1, max(0, (node?.crossAttention?.layers ?? 1) - 1))
  case .character("<"), .character(","): state.decode.layer = max(0, state.decode.layer - 1)
  default: effects = handleBeamSettings(key, &state)
  }
  state.clampTree()
  return effects
}

extension AppState {
  /// Keeps the beam tree's selected row inside the tree shown.
  mutating func clampTree() {
    let count = compare.run.map { BeamTreeScreen.rows($0).count } ?? 0
    compare.treeNode = min(max(0, compare.treeNode), max(0, count - 1))
  }
}
