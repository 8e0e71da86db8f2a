// A GGUF file in the real binary (tmux, 100×30): a tiny quantised llama (Q4_1, from
// scripts/make_gguf_model_fixtures.py) opens on its default text and every screen draws, the
// sink view included; then the terminal is restored.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct GGUFViewerTests {
  static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("HuggingFaceTests/Fixtures/gguf/llama-q4_1/model.gguf").path

  @Test func everyScreenDrawsAGGUFModel() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath(), "--model", Self.model], width: 100, height: 30)
    let first = try tmux.waitFor("│ decoder masked │ layer 1 head 1")
    #expect(first.contains("GGUF llama"), "the title names the format and family")
    #expect(first.contains("sink '<s>' (key 1)"))
    for (key, status) in [
      ("2", "│ decode │ step 1/"), ("3", "│ compare │ greedy"), ("4", "│ beam tree │ node"),
      ("5", "│ model view │ decoder masked │ layer 1/2 head 1/4"), ("6", "│ q·k │ decoder masked"),
      ("7", "│ positions │"),
    ] {
      try tmux.sendKeys(key)
      try tmux.waitFor(status)
    }
    try tmux.sendKeys("1", "w")
    try tmux.waitFor("sink hidden: rows renormalised without key 1 '<s>'")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    #expect(tmux.display("#{alternate_on} #{cursor_flag}") == "0 1")
  }
}
