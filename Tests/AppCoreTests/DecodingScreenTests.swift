// The decode and compare screens with hand-built runs: screen keys, stepping, effects, snapshots.
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

/// A three-step greedy run of "i love you </s>" → "ti amo </s>", one layer with two heads.
func sampleDecodeRun() -> DecodeRun {
  let source = ["i", "love", "you", "</s>"]
  let chosen = ["ti", "amo", "</s>"]
  let fed = ["<s>", "ti", "amo"]
  let steps = (0..<3).map { step in
    DecodeStepView(
      candidates: [
        TokenProbability(token: chosen[step], probability: 0.75),
        TokenProbability(token: "molto", probability: 0.25),
      ], chosen: chosen[step],
      selfAttention: AttentionRow(
        query: fed[step], keys: Array(fed.prefix(step + 1)),
        weights: [[(0...step).map { $0 == step ? 1 : 0 }, (0...step).map { $0 == 0 ? 1 : 0 }]]),
      crossAttention: AttentionRow(
        query: fed[step], keys: source,
        weights: [[(0..<4).map { $0 == step ? 1 : 0 }, [0.25, 0.25, 0.25, 0.25]]]))
  }
  return DecodeRun(source: source, start: "<s>", steps: steps)
}

func sampleCompareRun(width: Int = 4, alpha: Float = 0) -> CompareRun {
  CompareRun(
    greedy: HypothesisView(tokens: ["ti", "amo", "</s>"], logProbs: [-0.5, -0.25, -0.25], score: -1),
    beam: [
      HypothesisView(tokens: ["ti", "voglio", "</s>"], logProbs: [-0.5, -0.125, -0.125], score: -0.75),
      HypothesisView(tokens: ["ti", "amo", "</s>"], logProbs: [-0.5, -0.25, -0.25], score: -1),
    ], width: width, alpha: alpha)
}

func trimmed(_ canvas: Canvas) -> [String] {
  canvas.lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
}

@Suite struct DecodeScreenViewTests {
  let size = (width: 100, height: 30)
  func state() -> AppState { AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome) }

  @Test func numberKeysSwitchScreensAndAskForRunsOnce() {
    var s = state()
    #expect(update(&s, .key(.character("2")), size: size) == [.runDecode])
    #expect(s.screen == .decode)
    s.decodeRun = sampleDecodeRun()
    #expect(update(&s, .key(.character("1")), size: size) == [])
    #expect(update(&s, .key(.character("2")), size: size) == [], "a run already there is kept")
    #expect(update(&s, .key(.character("3")), size: size) == [.runCompare(width: 4, alpha: 0)])
    #expect(s.invalidateDecoding() == [.runCompare(width: 4, alpha: 0)] && s.decodeRun == nil)
    s.decodingEnabled = false
    _ = update(&s, .key(.character("1")), size: size)
    #expect(update(&s, .key(.character("2")), size: size) == [] && s.screen == .attention)
    #expect(s.notice == "the decode screen is not available here")
  }

  @Test func stepsForwardBackAndHomeWithinTheRun() {
    var s = state()
    s.screen = .decode
    s.decodeRun = sampleDecodeRun()
    for key: Key in [.character("n"), .right, .right, .right] { _ = update(&s, .key(key), size: size) }
    #expect(s.decodeStep == 2)
    _ = update(&s, .key(.character("p")), size: size)
    #expect(s.decodeStep == 1 && s.cursorRow == 0, "the attention screen's cursor is untouched")
    _ = update(&s, .key(.home), size: size)
    #expect(s.decodeStep == 0)
    _ = update(&s, .key(.left), size: size)
    #expect(s.decodeStep == 0)
    _ = update(&s, .key(.character("]")), size: size)
    #expect(s.decodeHead == 1)
    _ = update(&s, .key(.character("]")), size: size)
    #expect(s.decodeHead == 0, "heads cycle")
    _ = update(&s, .key(.character(">")), size: size)
    #expect(s.decodeLayer == 0, "one layer")
  }

  @Test func snapshot100x30Monochrome() {
    var s = state()
    s.screen = .decode
    s.decodeRun = sampleDecodeRun()
    s.decodeStep = 1
    let lines = trimmed(DecodeScreen.view(s, size: size))
    #expect(lines[0].hasPrefix(" attnscope · toy · test"))
    #expect(lines[1] == "  1 attention   2 decode   3 compare   4 beam tree    step 2/3  layer 1/1  head 1/2")
    #expect(lines[3] == " source  i love you </s>")
    #expect(lines[4] == " target  <s> ti [amo]")
    #expect(lines[6] == " masked self-attention of 'ti'                     cross-attention of 'ti'")
    #expect(
      Array(lines[7...12]) == [
        "                                                       i  l  y  <",
        "     <  t                                                 o  o  /",
        "     s  i                                                 v  u  s",
        "     >                                                    e     >",
        " ti    @@@                                         ti    @@@",
        " most on 'ti' 1.000                                most on 'love' 1.000",
      ])
    #expect(lines[15] == " ▶ amo   ██████████████████████████████·········· 0.750  chosen")
    #expect(lines[16] == "   molto ██████████······························ 0.250")
    #expect(lines[29] == " toy │ decode │ step 2/3 │ 'ti' → 'amo' p 0.750 │ layer 1 head 1")
  }

  @Test func waitsWithAMessageAndAnyStateDrawsAtAnySize() {
    var s = state()
    s.screen = .decode
    s.decodingProblem = "toy is encoder-only"
    #expect(trimmed(AppView.view(s, size: size))[3] == " cannot decode: toy is encoder-only")
    s.decodeRun = sampleDecodeRun()
    s.compareRun = sampleCompareRun()
    for screen in Screen.allCases {
      s.screen = screen
      for width in [0, 39, 40, 61, 100] { _ = AppView.view(s, size: (width, width / 3 + 10)) }
    }
  }
}

@Suite struct CompareScreenViewTests {
  let size = (width: 100, height: 30)

  @Test func widthAndAlphaKeysAskForARerun() {
    var s = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    s.screen = .compare
    s.compareRun = sampleCompareRun()
    #expect(update(&s, .key(.character("+")), size: size) == [.runCompare(width: 5, alpha: 0)])
    s.compareRun = sampleCompareRun(width: 5)
    #expect(update(&s, .key(.character("-")), size: size) == [.runCompare(width: 4, alpha: 0)])
    s.compareRun = sampleCompareRun()
    #expect(update(&s, .key(.character("a")), size: size) == [.runCompare(width: 4, alpha: 0.1)])
    #expect(update(&s, .key(.character("a")), size: size) == [.runCompare(width: 4, alpha: 0.2)])
    #expect(update(&s, .key(.character("A")), size: size) == [.runCompare(width: 4, alpha: 0.1)])
    s.beamWidth = 16
    #expect(update(&s, .key(.character("+")), size: size) == [], "16 is the widest beam")
    s.alphaTenths = 0
    #expect(update(&s, .key(.character("A")), size: size) == [], "α stays ≥ 0")
  }

  @Test func divergenceIsTheFirstDifferentToken() {
    #expect(sampleCompareRun().divergence == 1)
    var same = sampleCompareRun()
    same.beam = [same.greedy]
    #expect(same.divergence == nil)
    same.beam[0].tokens = ["ti"]
    #expect(same.divergence == 1)
  }

  @Test func snapshot100x30Monochrome() {
    var s = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    s.screen = .compare
    s.compareRun = sampleCompareRun()
    let lines = trimmed(CompareScreen.view(s, size: size))
    #expect(lines[1] == "  1 attention   2 decode   3 compare   4 beam tree    beam width 4  α 0.0")
    #expect(
      Array(lines[3...9]) == [
        " greedy   ti amo </s>                                    log-prob  -1.0000   score (α 0.0)  -1.0000",
        "          ti      amo     </s>",
        "          -0.500  -0.250  -0.250",
        "",
        " beam 4   ti voglio </s>                                 log-prob  -0.7500   score (α 0.0)  -0.7500",
        "          ti      voglio  </s>",
        "          -0.500  -0.125  -0.125",
      ])
    #expect(lines[11] == " they diverge at step 2: greedy 'amo', beam 'voglio'")
    #expect(lines[13] == " beam n-best (width 4, α 0.0)                               log-prob     score")
    #expect(lines[14] == "   1  ti voglio </s>                                        -0.7500   -0.7500")
    #expect(lines[29] == " toy │ compare │ greedy -1.0000 │ beam 4 -0.7500 │ α 0.0")
  }
}
