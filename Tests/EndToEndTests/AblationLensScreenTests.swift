// Head ablation and the logit lens in tmux at 100×30 on the bundled en-it sample: `a` on the model
// view switches the selected head off (the title says so on every screen), the decode screen sets
// the model as trained beside the ablated run, `L` shows the lens of the step and `B` the next
// hypothesis's, `A` turns every head back on; quit with the terminal restored.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct AblationLensScreenTests {
  @Test func switchAHeadOffReadTheLensAndSwitchItBackOn() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath()], width: 100, height: 30)
    try tmux.waitFor("│ encoder self │ layer 1 head 1")
    try tmux.sendKeys("5")
    try tmux.waitFor("│ model view │ encoder self │ layer 1/2 head 1/4")
    try tmux.sendKeys("x")
    try tmux.waitFor("│ model view │ decoder cross │ layer 1/1 head 1/4")
    try tmux.sendKeys("a")
    let off = try tmux.waitFor("cross.L1.H1 off · 1 head off · a toggles, A all on")
    #expect(off.contains("✕ off: cross.L1.H1") && off.contains("✕off"))
    try tmux.sendKeys("1")
    #expect((try tmux.waitFor("│ decoder cross │ layer 1 head 1")).contains("✕ off: cross.L1.H1"))
    try tmux.sendKeys("2")
    let decode = try tmux.waitFor("│ decode │ step 1/")
    #expect(decode.contains(" before  ") && decode.contains("next token, ablated"))
    #expect(decode.contains("before (as trained)"))
    try tmux.sendKeys("L")
    let lens = try tmux.waitFor("logit lens · greedy (1/5, B next) · step 1")
    #expect(lens.contains("layer  p(chosen)") && lens.contains("emb ") && lens.contains("L1 "))
    try tmux.sendKeys("B")
    try tmux.waitFor("logit lens · beam 4 #1 (2/5, B next)")
    try tmux.sendKeys("5")
    try tmux.sendKeys("A")
    let back = try tmux.waitFor("every head back on: the model as trained")
    #expect(!back.contains("✕"))
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
  }
}
