// `?`: every key of every screen, the current screen's first, flowed into as many columns as the
// terminal allows (less's and htop's help screens list everything on one page the same way).
import Render

extension KeyMap {
  /// Keys of screens 5–7 and the keys every screen shares that `bindings` does not list.
  public static let screenSections: [(title: String, bindings: [KeyBinding])] = [
    (
      "every screen",
      [
        KeyBinding(keys: "1 … 8", action: "screens (tabs on row 2)"),
        KeyBinding(keys: "s", action: "export this screen: NAME.svg and NAME.ans"),
        KeyBinding(keys: "z Z", action: "attention: wider / narrower cells (zoom)"),
      ]
    ),
    (
      "5 model view",
      [
        KeyBinding(keys: "←↓↑→ hjkl", action: "pick a layer (rows) and head (columns)"),
        KeyBinding(keys: "click", action: "pick the thumbnail under the mouse"),
        KeyBinding(keys: "Enter", action: "open it on the attention screen"),
        KeyBinding(keys: "w", action: "thumbnails without the sink (numbers: its mass)"),
        KeyBinding(keys: "a", action: "switch the head off / on (the model re-runs)"),
        KeyBinding(keys: "A", action: "every head back on"),
        KeyBinding(keys: "Tab e d x", action: "kind: encoder self / masked / cross"),
        KeyBinding(keys: "c C", action: "colour heads by a fingerprint metric"),
        KeyBinding(keys: "r", action: "rank heads by it (↑↓ pick, Enter opens)"),
        KeyBinding(keys: "f", action: "hide heads below 25/50/75% of the best"),
      ]
    ),
    (
      "6 q·k detail",
      [
        KeyBinding(keys: "↑↓ k j", action: "query token (the attention cursor's row)"),
        KeyBinding(keys: "←→ h l", action: "key whose k and v are shown"),
        KeyBinding(keys: "] [ > <", action: "head / layer;  Tab e d x: kind"),
      ]
    ),
    (
      "7 positions",
      [
        KeyBinding(keys: "Tab", action: "focus: PE matrix / similarity"),
        KeyBinding(keys: "←↓↑→ hjkl", action: "move the focused pane's cursor"),
        KeyBinding(keys: "m M", action: "table: sinusoidal, then the model's own"),
        KeyBinding(keys: "+ -", action: "positions ×2 / ÷2"),
        KeyBinding(keys: "] [", action: "sinusoidal dimensions ×2 / ÷2"),
        KeyBinding(keys: "g", action: "image models: patch maps / full matrix"),
        KeyBinding(keys: "f", action: "rotary tables: q·k fall-off plot / matrix"),
      ]
    ),
    (
      "0 contrast",
      [
        KeyBinding(keys: "←→ h l", action: "the word: token of the marked input"),
        KeyBinding(keys: "Tab", action: "mark the other input"),
        KeyBinding(keys: "a b", action: "type input 1 / input 2"),
        KeyBinding(keys: "] [ > <", action: "head / layer of the attention rows"),
      ]
    ),
    (
      "8 patches (ViT)",
      [
        KeyBinding(keys: "←↓↑→ hjkl", action: "query patch (from [CLS] onto p(0,0))"),
        KeyBinding(keys: "c", action: "query [CLS]"),
        KeyBinding(keys: "click", action: "the patch under the mouse"),
        KeyBinding(keys: "] [  m", action: "head / mean of the heads"),
        KeyBinding(keys: "r", action: "attention rollout through the layers"),
        KeyBinding(keys: "> <", action: "layer"),
        KeyBinding(keys: "v", action: "overlay on the image on / off"),
        KeyBinding(keys: "i", action: "another image file"),
      ]
    ),
  ]
}

enum HelpOverlay {
  /// The sections in display order: the current screen's first.
  static func lines(for screen: Screen?) -> [(text: String, heading: Bool)] {
    var sections =
      [("1–4 attention and decoding", KeyMap.bindings)]
      + KeyMap.screenSections.map { ($0.title, $0.bindings) }
    if let screen, let index = sections.firstIndex(where: { $0.0.hasPrefix("\(screen.rawValue) ") }) {
      sections.insert(sections.remove(at: index), at: 0)
    }
    var lines: [(String, Bool)] = []
    for (title, bindings) in sections {
      if !lines.isEmpty { lines.append(("", false)) }
      lines.append((title, true))
      lines += bindings.map {
        ("\($0.keys.padding(toLength: 12, withPad: " ", startingAt: 0)) \($0.action)", false)
      }
    }
    return lines
  }

  static func draw(into canvas: inout Canvas, state: AppState? = nil) {
    var lines = lines(for: state?.screen)
    let footer = "any key closes this help"
    let rows = max(1, canvas.height - 6)  // border rows, title, gap, footer
    let longest = lines.map(\.text.count).max() ?? 0
    // As many columns as needed and as fit (each at least 36 wide); what does not fit is cut.
    let fitting = max(1, (canvas.width - 4) / min(longest + 2, 36 + 2))
    let columns = min(fitting, (lines.count + rows - 1) / rows)
    if lines.count > columns * rows {
      lines = Array(lines.prefix(columns * rows - 1)) + [("… (a larger terminal shows every key)", false)]
    }
    let columnWidth = min(longest + 2, (canvas.width - 4) / columns)
    let width = min(canvas.width - 2, columns * columnWidth + 2)
    let height = min(canvas.height - 2, min(rows, lines.count) + 4)
    let (x, y) = ((canvas.width - width) / 2, (canvas.height - height) / 2)
    canvas.fill(x: x, y: y, width: width, height: height, with: Cell(attributes: [.reverse]))
    canvas.put("Keys", x: x + 2, y: y, attributes: [.reverse, .bold])
    for (index, line) in lines.enumerated() {
      let (column, row) = (index / rows, index % rows)
      canvas.put(
        line.text, x: x + 1 + column * columnWidth, y: y + 1 + row,
        attributes: line.heading ? [.reverse, .bold, .underline] : [.reverse], maxWidth: columnWidth - 1)
    }
    canvas.put(footer, x: x + 2, y: y + height - 1, attributes: [.reverse, .dim], maxWidth: width - 4)
  }
}
