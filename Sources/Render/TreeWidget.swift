// A tree of labelled nodes drawn with guide lines (├─ └─ │, or |- `- | in ASCII), in the layout of
// `tree(1)`: the beam-search tree, module trees. Selection is by drawn row, and the view scrolls to it.

public struct TreeNode: Hashable, Sendable {
  public var label: String
  /// Drawn after the label, dimmed (a log-prob, a shape).
  public var detail: String
  /// Pruned or otherwise secondary: drawn dim.
  public var dimmed: Bool
  /// Finished or otherwise notable: drawn bold with `Glyphs.bullet` after it.
  public var marked: Bool
  public var children: [TreeNode]

  public init(
    _ label: String, detail: String = "", dimmed: Bool = false, marked: Bool = false,
    children: [TreeNode] = []
  ) {
    self.label = label
    self.detail = detail
    self.dimmed = dimmed
    self.marked = marked
    self.children = children
  }
}

/// One drawn line: the guides in front of a node, the node, and where it sits in the tree.
public struct TreeRow: Hashable, Sendable {
  public var guides: String
  public var node: TreeNode
  /// Child indices from the root list down to this node.
  public var path: [Int]
}

public struct TreeWidget {
  public var roots: [TreeNode]
  /// The selected row (an index into `rows`), drawn in reverse video.
  public var selected: Int?
  /// The first row shown. nil: centred on the selection; set: moved as little as possible to
  /// keep the selection visible (keep the value `firstVisibleRow(height:)` returns between frames).
  public var scroll: Int?
  public var glyphs: Glyphs = .unicode

  public init(roots: [TreeNode]) { self.roots = roots }

  /// Every node in drawing order, depth first. Roots have no guides.
  public var rows: [TreeRow] {
    var rows: [TreeRow] = []
    func visit(_ node: TreeNode, prefix: String, connector: String, path: [Int]) {
      rows.append(TreeRow(guides: prefix + connector, node: node, path: path))
      let below =
        connector.isEmpty
        ? prefix : prefix + (connector == glyphs.tree.branch ? glyphs.tree.continuation : glyphs.tree.gap)
      for (index, child) in node.children.enumerated() {
        let last = index == node.children.count - 1
        visit(
          child, prefix: below, connector: last ? glyphs.tree.lastBranch : glyphs.tree.branch,
          path: path + [index])
      }
    }
    for (index, root) in roots.enumerated() { visit(root, prefix: "", connector: "", path: [index]) }
    return rows
  }

  /// The first row shown in a box `height` rows tall.
  public func firstVisibleRow(height: Int) -> Int {
    let count = rows.count
    guard let selected else { return Viewport.clamped(start: scroll ?? 0, count: count, visible: height) }
    guard let scroll else {
      return Viewport.centred(count: count, visible: height, focus: selected).lowerBound
    }
    return Viewport.following(start: scroll, count: count, visible: height, focus: selected)
  }

  /// Draws the visible rows into a `width` × `height` box; returns the first row shown.
  @discardableResult
  public func draw(into canvas: inout Canvas, x: Int, y: Int, width: Int, height: Int) -> Int {
    let rows = self.rows
    let first = firstVisibleRow(height: height)
    for (offset, row) in rows.dropFirst(first).prefix(max(0, height)).enumerated() {
      let index = first + offset
      let node = row.node
      var attributes: CellAttributes = node.dimmed ? [.dim] : []
      if node.marked { attributes.insert(.bold) }
      if index == selected { attributes = [.reverse, .bold] }
      var column = x
      column += canvas.put(
        row.guides, x: column, y: y + offset, attributes: attributes.subtracting(.bold), maxWidth: width)
      column += canvas.put(
        node.label, x: column, y: y + offset, attributes: attributes, maxWidth: x + width - column)
      if node.marked {
        column += canvas.put(
          " " + String(glyphs.bullet), x: column, y: y + offset, attributes: attributes,
          maxWidth: x + width - column)
      }
      if !node.detail.isEmpty {
        let detailAttributes: CellAttributes = index == selected ? attributes : attributes.union(.dim)
        canvas.put(
          " " + node.detail, x: column, y: y + offset, attributes: detailAttributes,
          maxWidth: x + width - column)
      }
    }
    return first
  }
}
