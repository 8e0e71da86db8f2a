// The new keys in the real binary in tmux: screen 5 coloured, ranked and filtered by a head
// fingerprint, screen 0 (one word in two inputs), and sampling on the decode screen.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct FingerprintScreensTests {
  @Test func modelViewColoursRanksAndFiltersByAMetric() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath(), "--model", "induction"], width: 100, height: 30)
    try tmux.waitFor("│ decoder masked │ layer 1 head 1")
    try tmux.sendKeys("5")
    try tmux.waitFor("│ model view │ decoder masked │ layer 1/2 head 1/4")
    // entropy, sink, previous token, self, induction: five presses reach induction.
    try tmux.sendKeys("c")
    try tmux.waitFor("colour: entropy (nats)")
    try tmux.sendKeys("c", "c", "c", "c")
    try tmux.waitFor("colour: induction · f hides weak heads")
    try tmux.sendKeys("r")
    let ranked = try tmux.waitFor("heads by induction, best first (8 shown)")
    #expect(ranked.contains("1. L2 H3"), "the induction head ranks first")
    try tmux.sendKeys("Down")
    try tmux.waitFor("│ model view │ decoder masked │ layer")
    try tmux.sendKeys("f", "f", "f")
    let filtered = try tmux.waitFor(" ≥ 75% of the best)")
    #expect(!filtered.contains("(8 shown"), "75% of the best leaves fewer heads")
    try tmux.sendKeys("r")
    try tmux.waitFor("showing heads ≥ 75% of the best (f)")
    try tmux.sendKeys("?")
    let help = try tmux.waitFor("key closes")
    #expect(help.contains("colour heads by a"))
    try tmux.sendKeys("q", "q")  // the first closes the help
    #expect(try tmux.waitForExit() == 0)
  }

  @Test func contrastScreenPicksWordsAndRetypesAnInput() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath(), "--model", "en-it"], width: 100, height: 30)
    try tmux.waitFor("│ encoder self │ layer 1 head 1")
    try tmux.sendKeys("0")
    // en-it does not know "deposited": unknown words are <unk>, and "bank" is not found either.
    try tmux.waitFor("│ contrast │")
    try tmux.sendKeys("a")
    try tmux.waitFor("contrast input 1")
    for _ in 0..<40 { try tmux.sendKeys("BSpace") }
    try tmux.sendLiteral("the red cat sees the dog")
    try tmux.sendKeys("Enter")
    try tmux.sendKeys("b")
    for _ in 0..<40 { try tmux.sendKeys("BSpace") }
    try tmux.sendLiteral("the dog sees the red cat")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("│ contrast │ '</s>' (token 7) vs '</s>' (token 7)")
    // Token 3 of input 1 is "cat"; the word carries over: Tab and the second input finds its "cat"?
    try tmux.sendKeys("Left", "Left", "Left", "Left")
    try tmux.waitFor("│ contrast │ 'cat' (token 3) vs '</s>' (token 7)")
    try tmux.sendKeys("Tab", "Left")
    try tmux.waitFor("│ contrast │ 'cat' (token 3) vs 'cat' (token 6)")
    try tmux.sendKeys(">", "]")
    let screen = try tmux.waitFor("│ layer 2 cos 0.6004 │ head 2")
    #expect(screen.contains("embeddings") && screen.contains("input 2: 'cat' attends"))
    try tmux.sendKeys("?")
    let help = try tmux.waitFor("key closes")
    #expect(help.contains("0 contrast"))
    try tmux.sendKeys("q", "q")  // the first closes the help
    #expect(try tmux.waitForExit() == 0)
  }

  @Test func decodeScreenSamplesWithKeyboardSettings() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath(), "--model", "en-it"], width: 100, height: 30)
    try tmux.waitFor("│ encoder self │ layer 1 head 1")
    try tmux.sendKeys("2")
    let greedy = try tmux.waitFor("│ decode │ step 1/")
    #expect(greedy.contains("greedy · g samples"))
    try tmux.sendKeys("g")
    try tmux.waitFor("sample · T 1.0 · top-k all · top-p 1.00 · seed 0 · g greedy")
    try tmux.waitFor("after T, top-k, top-p (")
    try tmux.sendKeys("u", "u", "t", "V", "r")
    let sampled = try tmux.waitFor("sample · T 1.1 · top-k 2 · top-p 0.95 · seed 1 · g greedy")
    #expect(sampled.contains("next token (model)"))
    #expect(sampled.contains(" kept)"))
    try tmux.sendKeys("g")
    try tmux.waitFor("greedy · g samples")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
  }
}
