// The decode and compare screens in tmux at 100×30: step through greedy decoding and back, play it
// with space, compare greedy with beam search and pick a step (keys and a click), widen the beam,
// walk the beam tree, quit with the terminal restored.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct DecodeScreenTests {
  @Test func stepsThroughDecodingThenComparesGreedyWithBeam() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath()], width: 100, height: 30)
    try tmux.waitFor("│ encoder self │ layer 1 head 1")
    try tmux.sendKeys("2")
    let first = try tmux.waitFor("│ decode │ step 1/")
    #expect(first.contains("source  i love you very much </s>"))
    #expect(first.contains("target  <s> [ti]") && first.contains("▶ ti"))
    #expect(first.contains("masked self-attention of '<s>'") && first.contains("cross-attention of '<s>'"))
    var screen = first
    for step in 2...6 where !screen.contains("▶ molto") {
      try tmux.sendKeys("n")
      screen = try tmux.waitFor("│ decode │ step \(step)/")
    }
    #expect(screen.contains("▶ molto") && screen.contains("█") && screen.contains("chosen"))
    #expect(screen.contains("target  <s> ti amo [molto]"))
    try tmux.sendKeys("p")
    try tmux.waitFor("target  <s> ti [amo]")
    // Space plays from the current step, one step per 0.4 s, and stops at the last one.
    try tmux.sendKeys("Home")
    try tmux.waitFor("│ decode │ step 1/4 │")
    try tmux.sendKeys("Space")
    // "▶ playing" stays on screen for three ticks (1.2 s); the step then advances on its own.
    try tmux.waitFor("│ layer 1 head 1 │ ▶ playing")
    let end = try tmux.waitFor("│ decode │ step 4/4 │ 'molto' → '</s>'")
    #expect(!end.contains("▶ playing"), "stopped at the end")
    #expect(end.contains("target  <s> ti amo molto [</s>]"))
    try tmux.sendKeys("3")
    // Wait for the status line, the last row drawn, so the whole frame is on screen.
    let compare = try tmux.waitFor("│ compare │ greedy -0.0000 │ beam 4 ")
    #expect(compare.contains("beam 4   ti amo molto"))
    #expect(compare.contains("greedy   ti amo molto"))
    #expect(compare.contains("log-prob") && compare.contains("score (α 0.0)"))
    #expect(compare.contains("beam width 4  α 0.0"))
    #expect(compare.contains("greedy and the best beam agree at every step"))
    // Pick a step: both hypotheses' cross-attention at it, side by side.
    try tmux.sendKeys("Right")
    let picked = try tmux.waitFor("│ step 2/4 │ layer 1 head 1")
    #expect(picked.contains("greedy: cross-attention of 'ti' → 'amo'"))
    #expect(picked.contains("beam 4: cross-attention of 'ti' → 'amo'"))
    #expect(
      picked.contains("most on 'i' 0."), "the strongest source word, whatever the trained weights give it")
    // A click on greedy's third token (columns 27–32, row 5, 1-based) picks step 3.
    try tmux.sendLiteral("\u{1B}[<0;28;5M")
    try tmux.sendLiteral("\u{1B}[<0;28;5m")
    let clicked = try tmux.waitFor("│ step 3/4 │ layer 1 head 1")
    #expect(clicked.contains("greedy: cross-attention of 'amo' → 'molto'"))
    try tmux.sendKeys("+")
    let wider = try tmux.waitFor("│ beam 5 -0.0000 │ α 0.0 │ step 3/4 │")
    #expect(wider.contains("beam 5   ti amo molto"))
    #expect(wider.contains("beam width 5") && wider.contains("beam n-best (width 5"))
    try tmux.sendKeys("4")
    let tree = try tmux.waitFor("│ beam tree │ node 1/")
    #expect(tree.contains("g <s> 0.000") && tree.contains("g ├─ ti ") && tree.contains("■ end"))
    #expect(tree.contains("cross-attention of '<s>'"))
    for _ in 0..<4 { try tmux.sendKeys("j") }
    let finished = try tmux.waitFor("node 5/")
    let line = finished.split(separator: "\n").first { $0.contains("│ beam tree │ node 5/") } ?? ""
    #expect(line.contains("ti amo") && line.contains("</s>") && line.contains("finished"))
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    ViewerTests().expectRestored(tmux)
  }
}
