// The attention screen's update and view as pure functions: keys, mouse, sizes, snapshots.
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

/// Two layers of encoder self, decoder masked and decoder cross attention with 2 heads.
func sampleTrace() -> AttentionTrace {
  let source = ["i", "love", "you", "</s>"]
  let target = ["<s>", "ti", "amo"]
  var entries: [AttentionEntry] = []
  func entry(_ stack: AttentionStack, _ kind: AttentionKind, _ layer: Int, _ q: [String], _ k: [String])
    -> AttentionEntry
  {
    var weights: [Float] = []
    var scores: [Float] = []
    for h in 0..<2 {
      for i in 0..<q.count {
        let visible = kind == .masked ? i + 1 : k.count
        for j in 0..<k.count {
          weights.append(
            j < visible ? (j == (i + h + layer) % visible ? 0.7 : 0.3 / Float(max(1, visible - 1))) : 0)
          scores.append(j < visible ? Float(j - i) : -.infinity)
        }
      }
    }
    return AttentionEntry(
      stack: stack, kind: kind, layer: layer, heads: 2, queries: q, keys: k, weights: weights, scores: scores)
  }
  for layer in 0..<2 {
    entries.append(entry(.encoder, .self, layer, source, source))
    entries.append(entry(.decoder, .masked, layer, target, target))
    entries.append(entry(.decoder, .cross, layer, target, source))
  }
  return AttentionTrace(
    model: "toy", tokens: TokenLabels(encoder: source, decoder: target), attention: entries)
}

@Suite struct UpdateTests {
  let size = (width: 80, height: 24)
  func state() -> AppState { AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome) }

  @Test func headsAndLayersCycleAndClamp() {
    var s = state()
    _ = update(&s, .key(.character("]")), size: size)
    #expect(s.head == 1)
    _ = update(&s, .key(.character("]")), size: size)
    #expect(s.head == 0)
    _ = update(&s, .key(.character("[")), size: size)
    #expect(s.head == 1)
    _ = update(&s, .key(.character(">")), size: size)
    _ = update(&s, .key(.character(">")), size: size)
    #expect(s.layer == 1)
    _ = update(&s, .key(.character("<")), size: size)
    #expect(s.layer == 0)
  }

  @Test func kindsSwitchAndCursorIsClampedToTheNewMatrix() {
    var s = state()
    for _ in 0..<5 { _ = update(&s, .key(.down), size: size) }
    #expect(s.cursorRow == 3)  // 4 source tokens
    _ = update(&s, .key(.tab), size: size)
    #expect(s.entry?.kind == .masked && s.cursorRow == 2)
    _ = update(&s, .key(.character("x")), size: size)
    #expect(s.entry?.kind == .cross)
    _ = update(&s, .key(.backTab), size: size)
    #expect(s.entry?.kind == .masked)
    _ = update(&s, .key(.character("e")), size: size)
    #expect(s.entry?.stack == .encoder)
  }

  @Test func quitKeys() {
    var s = state()
    #expect(update(&s, .key(.character("q")), size: size) == [.quit])
    #expect(update(&s, .key(.control("c")), size: size) == [.quit])
    #expect(update(&s, .key(.character("?")), size: size) == [])
    #expect(s.showHelp)
    #expect(update(&s, .key(.character("q")), size: size) == [])
    #expect(!s.showHelp, "the first key closes the help")
  }

  @Test func mouseClickMovesTheCursor() {
    var s = state()
    // Heatmap at x = 1, y = 2; row labels 5 wide, the labels across (one header row), cells as
    // wide and tall as fill the window: the middle of (row 1, column 2).
    let area = AttentionScreen.area(s, entry: s.entry!, size: size)
    guard case .cells(let width) = area.fit else {
      Issue.record("4 tokens fit")
      return
    }
    let strip = HeadStrip.layout(s, entry: s.entry!, area: area, cellWidth: width)
    let widget = AttentionScreen.heatmap(
      s, entry: s.entry!, area: area, cellWidth: width, reserved: strip?.height ?? 0)!
    #expect(widget.rowLabelWidth == 5 && widget.headerHeight == 1)
    let x = 1 + 5 + 2 * widget.cellWidth + widget.cellWidth / 2
    let y = 2 + 1 + widget.cellHeight + widget.cellHeight / 2
    _ = update(&s, .mouse(MouseEvent(x: x, y: y, button: .left)), size: size)
    #expect(s.cursorRow == 1 && s.cursorColumn == 2)
  }

  @Test func anyKeyAtAnyTimeKeepsStateValid() {
    var s = state()
    let keys: [Key] = [
      .up, .down, .left, .right, .home, .end, .pageUp, .enter, .tab, .backTab, .escape,
      .character("]"), .character(">"), .character("x"), .character("d"), .function(5), .delete,
    ]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<500 {
      _ = update(&s, .key(keys.randomElement(using: &generator)!), size: size)
      let entry = s.entry!
      #expect(s.cursorRow < entry.queries.count && s.cursorColumn < entry.keys.count && s.head < entry.heads)
      _ = AttentionScreen.view(s, size: (Int.random(in: 0...120), Int.random(in: 0...50)))
    }
  }
}

@Suite struct AttentionScreenTests {
  @Test func tooSmallSaysWhatItNeeds() {
    let s = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    #expect(AttentionScreen.view(s, size: (60, 8)).lines[3].hasPrefix("terminal too small (need 40×12)"))
    let narrow = AttentionScreen.view(s, size: (20, 5)).lines
    #expect(narrow[1] == "terminal too small  " && narrow[2] == "(need 40×12)        ")
  }

  @Test func snapshot80x24Monochrome() {
    var s = AppState(trace: sampleTrace(), modelDescription: "test model", depth: .monochrome)
    s.cursorRow = 1
    s.cursorColumn = 2
    let lines = AttentionScreen.view(s, size: (80, 24)).lines.map {
      String($0.reversed().drop { $0 == " " }.reversed())
    }
    #expect(lines[0].hasPrefix(" attnscope · toy · test model"))
    #expect(lines[1] == "  encoder self   decoder masked   decoder cross    layer 1/2  head 1/2")
    // Four keys on 80 columns: cells 18 wide and 3 tall, labels across, the strip of both heads
    // below (head 1 selected).
    #expect(
      Array(lines[2...19]) == [
        "      i                 love              you               </s>",
        "      ******************......................................................",
        " i    ******************......................................................",
        "      ******************......................................................",
        "      ..................******************....................................",
        " love ..................******************[................]..................",
        "      ..................******************....................................",
        "      ....................................******************..................",
        " you  ....................................******************..................",
        "      ....................................******************..................",
        "      ......................................................******************",
        " </s> ......................................................******************",
        "      ......................................................******************",
        "",
        "",
        " h1               h2",
        " ********........ ....********....",
        " ........******** ****........****",
      ])
    #expect(lines[21] == " 0.00   ..::--==++**##%%@@ 1.00   x masked")
    #expect(lines[23] == " toy │ encoder self │ layer 1 head 1 │ 'love' → 'you' = 0.1000 (q·k/√d 1.00)")
  }

  @Test func maskedCellSaysSoInTheStatusLine() {
    var s = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    s.kindIndex = 1
    s.cursorColumn = 2
    #expect(
      AttentionScreen.view(s, size: (80, 24)).lines[23].contains("'<s>' → 'amo' masked (a future token)"))
  }

  @Test func longSequencesPanToKeepTheCursorVisible() {
    #expect(Pan.window(count: 100, visible: 10, cursor: 0) == 0..<10)
    #expect(Pan.window(count: 100, visible: 10, cursor: 50) == 45..<55)
    #expect(Pan.window(count: 100, visible: 10, cursor: 99) == 90..<100)
    #expect(Pan.window(count: 5, visible: 10, cursor: 3) == 0..<5)
  }
}

@Suite struct PromptTests {
  let size = (width: 80, height: 24)

  @Test func typingAModelNameAndEnterAsksTheHostToOpenIt() {
    var s = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    #expect(update(&s, .key(.character("o")), size: size) == [.listModels])  // the dialog asks for its list
    for character in "revq" { _ = update(&s, .key(.character(character)), size: size) }
    _ = update(&s, .key(.backspace), size: size)
    _ = update(&s, .key(.character("x")), size: size)
    #expect(s.prompt?.text == "revx", "q types into the prompt instead of quitting")
    let lines = AttentionScreen.view(s, size: size).lines
    #expect(lines[22].hasPrefix(" open model (name or folder): revx█"))
    #expect(update(&s, .key(.enter), size: size) == [.openModel("revx")])
    #expect(s.prompt == nil)
  }

  @Test func escapeCancelsAndEmptyInputDoesNothing() {
    var s = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    _ = update(&s, .key(.character("i")), size: size)
    _ = update(&s, .key(.character("a")), size: size)
    #expect(update(&s, .key(.escape), size: size).isEmpty && s.prompt == nil)
    _ = update(&s, .key(.character("i")), size: size)
    #expect(update(&s, .key(.enter), size: size).isEmpty)
    _ = update(&s, .key(.character("i")), size: size)
    for character in "hello" { _ = update(&s, .key(.character(character)), size: size) }
    #expect(update(&s, .key(.enter), size: size) == [.retrace(text: "hello")])
  }
}
