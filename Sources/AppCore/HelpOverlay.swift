// `?`: every key of every screen, the current screen's first, flowed into as many columns as the
// terminal allows (less's and htop's help screens list everything on one page the same way).
import Render

extension KeyMap {
  /// Keys of screens 5–7 and the keys every screen shares that `bindings` does not list.
  public static let screenSections: [(title: String, bindings: [KeyBinding])] = [
    (
      "every screen",
      [
        KeyBinding(keys: "1 … 9", action: "screens (tabs on row 2)"),
        KeyBinding(keys: "s", action: "export this screen: NAME.svg and NAME.ans"),
      ]
    ),
    (
      "1 attention: long inputs",
      [
        KeyBinding(keys: "z Z", action: "zoom in / out: overview, down to one key per cell, wider cells"),
        KeyBinding(keys: "p", action: "overview pooling: max / mean"),
        KeyBinding(keys: "/", action: "jump to a token by typing part of it"),
        KeyBinding(keys: "t", action: "strip of every head on / off"),
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
        KeyBinding(keys: "p", action: "PE pooling: mean / largest magnitude"),
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
    (
      "9 lines",
      [
        KeyBinding(keys: "↑↓ k j", action: "query token whose lines are drawn"),
        KeyBinding(keys: "←→ h l", action: "key token named on the status line"),
        KeyBinding(keys: "a", action: "lines from every token / the selected one"),
        KeyBinding(keys: "m", action: "every head overlaid, one colour each / one head"),
        KeyBinding(keys: "] [ > <", action: "head / layer;  Tab e d x: kind"),
      ]
    ),
  ]
}

enum HelpOverlay {
  typealias Line = (text: String, heading: Bool)

  /// The sections in display order: the current screen's first.
  static func sections(for screen: Screen?) -> [(title: String, bindings: [KeyBinding])] {
    var sections =
      [("1–4 attention and decoding", KeyMap.bindings)]
      + KeyMap.screenSections.map { ($0.title, $0.bindings) }
    if let screen, let index = sections.firstIndex(where: { $0.0.hasPrefix("\(screen.rawValue) ") }) {
      sections.insert(sections.remove(at: index), at: 0)
    }
    return sections
  }

  /// Every line in order (headings and bindings, a blank between sections), unwrapped.
  static func lines(for screen: Screen?) -> [Line] {
    var lines: [Line] = []
    for (title, bindings) in sections(for: screen) {
      if !lines.isEmpty { lines.append(("", false)) }
      lines.append((title, true))
      lines += bindings.map { (binding($0), false) }
    }
    return lines
  }

  static let keysWidth = 12
  static func binding(_ binding: KeyBinding) -> String {
    TerminalText.padded(binding.keys, columns: keysWidth) + " " + binding.action
  }

  /// One section's lines at `width` columns: its heading, then each binding, an action too long
  /// for the column continued on further lines under the actions (never cut).
  static func block(title: String, bindings: [KeyBinding], width: Int) -> [Line] {
    var lines: [Line] = [(Heatmap.fitted(title, width), true)]
    let indent = String(repeating: " ", count: keysWidth + 1)
    for item in bindings {
      var current = TerminalText.padded(item.keys, columns: keysWidth) + " "
      var startOfLine = true
      for word in item.action.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
        let candidate = startOfLine ? current + word : current + " " + word
        if !startOfLine, TerminalText.columns(of: candidate) > width {
          lines.append((current, false))
          current = indent + word
        } else {
          current = candidate
        }
        startOfLine = false
      }
      lines.append((current, false))
    }
    return lines
  }

  /// The overlay's pages for a canvas: each page a list of columns, each column a list of lines.
  /// Whole sections flow into columns (a section that does not fit the rest of a column starts the
  /// next one, so no heading is left at the foot of a column without its keys); a section taller
  /// than a column continues in the next one under its heading again, marked "(cont.)".
  static func pages(for screen: Screen?, size: (width: Int, height: Int)) -> [[[Line]]] {
    let rows = max(1, size.height - 6)  // border rows, title, gap, footer
    let room = max(10, size.width - 4)
    let needed = (lines(for: screen).map { TerminalText.columns(of: $0.text) }.max() ?? 0) + 2
    let count = max(1, room / min(needed, 40))
    let width = min(needed, room / count) - 1
    var pages: [[[Line]]] = []
    var columns: [[Line]] = []
    var column: [Line] = []
    func closeColumn() {
      guard !column.isEmpty else { return }
      columns.append(column)
      column = []
      if columns.count == count {
        pages.append(columns)
        columns = []
      }
    }
    for (title, bindings) in sections(for: screen) {
      var block = self.block(title: title, bindings: bindings, width: width)
      let gap = column.isEmpty ? 0 : 1
      if column.count + gap + block.count > rows { closeColumn() }
      while !block.isEmpty {
        if !column.isEmpty { column.append(("", false)) }
        let take = min(block.count, rows - column.count)
        column += block.prefix(take)
        block.removeFirst(take)
        if !block.isEmpty {
          closeColumn()
          block.insert((Heatmap.fitted(title + " (cont.)", width), true), at: 0)
        }
      }
    }
    closeColumn()
    if !columns.isEmpty { pages.append(columns) }
    return pages.isEmpty ? [[[]]] : pages
  }

  static func draw(into canvas: inout Canvas, state: AppState? = nil) {
    let pages = self.pages(for: state?.screen, size: (canvas.width, canvas.height))
    let page = min(max(0, state?.helpPage ?? 0), pages.count - 1)
    let columns = pages[page]
    let footer =
      pages.count > 1
      ? "page \(page + 1)/\(pages.count) · space: next page · any other key closes"
      : "any key closes this help"
    let rows = max(1, canvas.height - 6)
    let longest = pages.joined().joined().map { TerminalText.columns(of: $0.text) }.max() ?? 0
    let count = pages.map(\.count).max() ?? 1
    let columnWidth = min(longest + 2, max(1, (canvas.width - 4) / count))
    let width = min(canvas.width - 2, max(count * columnWidth + 2, TerminalText.columns(of: footer) + 4))
    let tallest = pages.joined().map(\.count).max() ?? 0
    let height = min(canvas.height - 2, min(rows, tallest) + 4)
    let (x, y) = ((canvas.width - width) / 2, (canvas.height - height) / 2)
    canvas.fill(x: x, y: y, width: width, height: height, with: Cell(attributes: [.reverse]))
    canvas.put("Keys", x: x + 2, y: y, attributes: [.reverse, .bold])
    for (index, lines) in columns.enumerated() {
      for (row, line) in lines.enumerated() {
        canvas.put(
          line.text, x: x + 1 + index * columnWidth, y: y + 1 + row,
          attributes: line.heading ? [.reverse, .bold, .underline] : [.reverse], maxWidth: columnWidth - 1)
      }
    }
    canvas.put(footer, x: x + 2, y: y + height - 1, attributes: [.reverse, .dim], maxWidth: width - 4)
  }

  /// How many pages the overlay has at `size` (Update turns them with space).
  static func pageCount(for screen: Screen?, size: (width: Int, height: Int)) -> Int {
    pages(for: screen, size: size).count
  }
}
