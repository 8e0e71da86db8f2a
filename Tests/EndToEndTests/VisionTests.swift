// The shapes ViT through the real binary: the patch screen in tmux (move, heads, rollout, click,
// another image typed in, quit with the terminal restored), `classify`, `attention --image`, `eval`,
// and one-line errors for bad images.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct VisionScreenTests {
  static let images = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("samples/images")

  @Test func patchScreenStepsThroughPatchesHeadsAndRollout() throws {
    let tmux = TmuxSession()
    defer { tmux.kill() }
    try tmux.start(
      command: [
        TmuxSession.binaryPath(), "--model", "shapes-vit", "--image",
        Self.images.appendingPathComponent("circle.png").path,
      ], width: 110, height: 34)
    let first = try tmux.waitFor("│ predicted circle")
    #expect(first.contains("attention from [CLS] to each patch"))
    #expect(first.contains("layer 3/3  mean of 4 heads"))
    #expect(first.contains("┌────┬"), "the patch grid is drawn over the image")
    #expect(tmux.capture(escapes: true).contains("38;5;"), "the image is drawn in colour")
    try tmux.sendKeys("Right", "Right", "Down")
    try tmux.waitFor("attention from p(1,1) to each patch")
    try tmux.sendKeys("]")
    try tmux.waitFor("head 1/4")
    try tmux.sendKeys("r")
    try tmux.waitFor("rollout through layers 1–3")
    try tmux.sendKeys("<")
    try tmux.waitFor("layer 2/3  rollout through layers 1–2")
    try tmux.sendKeys("c")
    try tmux.waitFor("attention from [CLS] to each patch")
    try tmux.sendKeys("i")
    try tmux.sendLiteral(Self.images.appendingPathComponent("square.ppm").path)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("│ square.ppm │")
    try tmux.sendKeys("1")
    try tmux.waitFor("│ encoder self │")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    #expect(tmux.display("#{alternate_on} #{cursor_flag}") == "0 1")
  }
}

@Suite struct VisionHeadlessTests {
  static let images = VisionScreenTests.images

  @Test func classifyNamesTheShapeAsTextAndJSON() throws {
    let text = try runBinary(["classify", "--image", Self.images.appendingPathComponent("ring.png").path])
    #expect(text.status == 0, "\(text.errors)")
    #expect(text.output.hasPrefix("ring"))
    let json = try runBinary([
      "classify", "--model", "shapes-vit", "--image", Self.images.appendingPathComponent("cross.png").path,
      "--json", "--top", "2",
    ])
    let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as! [String: Any]
    let classes = object["classes"] as! [[String: Any]]
    #expect(classes.count == 2 && classes[0]["class"] as? String == "cross")
  }

  @Test func attentionOfAnImageIsATraceOverClassTokenAndPatches() throws {
    let run = try runBinary([
      "attention", "--model", "shapes-vit", "--image", Self.images.appendingPathComponent("diamond.png").path,
      "--format", "json",
    ])
    #expect(run.status == 0, "\(run.errors)")
    let json = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as! [String: Any]
    let tokens = (json["tokens"] as! [String: [String]])["encoder"]!
    #expect(tokens.count == 65 && tokens.first == "[CLS]" && tokens.last == "p(7,7)")
    #expect((json["attention"] as! [Any]).count == 3)
  }

  @Test func evalPrintsAccuracyAndTheAttentionBar() throws {
    let run = try runBinary(["eval", "--model", "shapes-vit", "--examples", "60"])
    #expect(run.status == 0, "\(run.errors)")
    #expect(run.output.contains("shapes on 60 held-out images: accuracy"))
    #expect(run.output.contains("[CLS] attention on the shape"))
  }

  @Test func badImagesAndMismatchedInputsAreOneLine() throws {
    let garbage = FileManager.default.temporaryDirectory.appendingPathComponent("attnscope-\(UUID()).ppm")
    try Data("P6\n0 4\n255\n".utf8).write(to: garbage)
    for arguments in [
      ["classify", "--image", garbage.path],
      ["classify", "--image", "/nonexistent/picture.png"],
      ["attention", "--model", "shapes-vit", "--text", "hello"],
      ["attention", "--model", "en-it", "--image", Self.images.appendingPathComponent("ring.png").path],
      ["classify", "--model", "en-it"],
    ] {
      let run = try runBinary(arguments)
      #expect(run.status == 1, "\(arguments)")
      let lines = run.errors.split(separator: "\n")
      #expect(lines.count == 1 && lines[0].hasPrefix("attnscope: "), "\(arguments): \(run.errors)")
    }
  }
}

@Suite struct SelectionFlagTests {
  @Test func attentionLayerAndHeadFlagsCutTheOutput() throws {
    let run = try runBinary(["attention", "--layer", "2", "--head", "3", "--format", "json"])
    #expect(run.status == 0, "\(run.errors)")
    let json = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as! [String: Any]
    let entries = json["attention"] as! [[String: Any]]
    #expect(entries.count == 1 && entries[0]["layer"] as? Int == 1 && entries[0]["heads"] as? Int == 1)
    let bad = try runBinary(["attention", "--layer", "9"])
    #expect(bad.status == 1 && bad.errors.contains("--layer 9 is out of range"))
  }
}
