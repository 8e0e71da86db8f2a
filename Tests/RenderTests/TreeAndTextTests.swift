// The tree widget (guides, styles, scrolling to the selection) and box borders.
import Testing

@testable import Render

@Suite struct TreeAndTextTests {
  let beam = TreeNode(
    "<s>",
    children: [
      TreeNode(
        "ti",
        children: [
          TreeNode("amo", detail: "-0.50", marked: true), TreeNode("voglio", detail: "-1.20", dimmed: true),
        ]),
      TreeNode("io", dimmed: true),
    ])

  func draw(_ tree: TreeWidget, width: Int, height: Int) -> Canvas {
    var canvas = Canvas(width: width, height: height)
    tree.draw(into: &canvas, x: 0, y: 0, width: width, height: height)
    return canvas
  }

  @Test func unicodeAndASCIIGuides() {
    var tree = TreeWidget(roots: [beam])
    #expect(
      draw(tree, width: 20, height: 5).lines == [
        "<s>                 ",
        "├─ ti               ",
        "│  ├─ amo ■ -0.50   ",
        "│  └─ voglio -1.20  ",
        "└─ io               ",
      ])
    tree.glyphs = .ascii
    #expect(
      draw(tree, width: 16, height: 5).lines == [
        "<s>             ",
        "|- ti           ",
        "|  |- amo * -0.5",
        "|  `- voglio -1.",
        "`- io           ",
      ])
    #expect(tree.rows.map(\.path) == [[0], [0, 0], [0, 0, 0], [0, 0, 1], [0, 1]])
  }

  @Test func stylesFollowTheNodes() {
    var tree = TreeWidget(roots: [beam])
    tree.selected = 1
    let canvas = draw(tree, width: 20, height: 5)
    #expect(canvas[3, 1].attributes == [.reverse, .bold])
    #expect(canvas[6, 2].attributes == [.bold])  // marked
    #expect(canvas[6, 3].attributes == [.dim])  // pruned
    #expect(canvas[13, 3].attributes == [.dim])  // its detail
  }

  @Test func theSelectionStaysVisible() {
    var tree = TreeWidget(roots: [beam])
    tree.selected = 4
    #expect(draw(tree, width: 8, height: 2).lines == ["│  └─ vo", "└─ io   "])
    tree.scroll = 0
    tree.selected = 2
    #expect(tree.firstVisibleRow(height: 2) == 1)
    tree.selected = 1
    tree.scroll = 1
    #expect(tree.firstVisibleRow(height: 2) == 1)
  }

  @Test func boxesReturnTheirInsideAndSkipTitlesThatCannotFit() {
    var canvas = Canvas(width: 5, height: 3)
    let inside = BoxBorder.draw(into: &canvas, x: 0, y: 0, width: 5, height: 3, title: "long title")
    #expect(inside == (1, 1, 3, 1))
    #expect(canvas.lines == ["┌───┐", "│   │", "└───┘"])
    #expect(BoxBorder.draw(into: &canvas, x: 0, y: 0, width: 1, height: 3) == (0, 0, 0, 0))
  }
}
