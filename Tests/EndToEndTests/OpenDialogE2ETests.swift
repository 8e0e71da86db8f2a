// The `o` dialog in the real binary: it lists the bundled samples, a (made-up) Hugging Face cache
// and Ollama store, filters as the user types, opens the pick, still opens a typed path, and lists
// that folder as opened before (kept under $XDG_STATE_HOME/attnscope).
import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct OpenDialogE2ETests {
  @Test func listsFiltersOpensAndRemembers() throws {
    let root = try InstallTests.temporaryDirectory("dialog")
    defer { try? FileManager.default.removeItem(at: root) }
    let fm = FileManager.default
    func write(_ relative: String, _ text: String) throws {
      let url = root.appendingPathComponent(relative)
      try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    try write("hf/models--org--fake/refs/main", "abc")
    try write("hf/models--org--fake/snapshots/abc/config.json", "{}")
    let digest = String(repeating: "c", count: 64)
    try write(
      "ollama/manifests/registry.ollama.ai/library/tiny/latest",
      "{\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":\"sha256:\(digest)\"}]}")
    try write("ollama/blobs/sha256-\(digest)", "GGUF")
    try fm.copyItem(
      at: InstallTests.repository.appendingPathComponent("samples/models/induction"),
      to: root.appendingPathComponent("mymodel"))
    let environment = [
      "HF_HUB_CACHE": root.path + "/hf", "OLLAMA_MODELS": root.path + "/ollama",
      "XDG_STATE_HOME": root.path + "/state",
    ]

    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(command: [TmuxSession.binaryPath()], width: 100, height: 30, environment: environment)
    try tmux.waitFor("layer 1 head 1")
    try tmux.sendKeys("o")
    let listed = try tmux.waitFor("ollama:tiny:latest")
    for text in [
      "open: type to filter", "en-it", "reverse", "shapes-vit", "org/fake", "HF cache", "Ollama", "sample",
    ] {
      #expect(listed.contains(text), "\(text) not listed:\n\(listed)")
    }
    try tmux.sendLiteral("rev")
    try tmux.waitFor("open model (name or folder): rev")
    let filtered = tmux.capture()
    #expect(filtered.contains("reverse") && !filtered.contains("org/fake") && !filtered.contains("en-it  "))
    try tmux.sendKeys("Enter")
    try tmux.waitFor("attnscope · reverse")

    // A typed path that matches nothing opens as a path, and is then listed as opened before.
    try tmux.sendKeys("o")
    try tmux.waitFor("open: type to filter")
    try tmux.sendLiteral(root.path + "/mymodel")
    try tmux.waitFor("no match: Enter opens the typed text")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("attnscope · mymodel")
    try tmux.sendKeys("o")
    let again = try tmux.waitFor("opened before")
    #expect(again.contains("/mymodel"))
    try tmux.sendKeys("Escape")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    let history = try String(contentsOfFile: root.path + "/state/attnscope/opened", encoding: .utf8)
    #expect(history == root.path + "/mymodel\n")
  }
}
