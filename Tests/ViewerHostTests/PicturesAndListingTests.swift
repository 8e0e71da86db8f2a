// The PNG export read back with libpng cell by cell, a scripted headless run through the same loop
// as the TUI, and the open dialog's list from a made-up Hugging Face cache, Ollama store and history.
import AppCore
import Foundation
import Imaging
import Render
import Testing
import ViewerHost
import Workbench

@Suite struct PictureTests {
  /// Every distinct shape CanvasRaster draws, back to the characters drawn with it (the font draws
  /// a few alike, e.g. "•" never collides, but "×" and "x" might: a class, not one character).
  static func charactersByShape(_ characters: Set<Character>) -> [[Bool]: Set<Character>] {
    var classes: [[Bool]: Set<Character>] = [:]
    for character in characters { classes[CanvasRaster.shape(of: character), default: []].insert(character) }
    return classes
  }

  /// Reads cell (column, row) back from decoded pixels: its two colours and which pixels are lit.
  static func readCell(_ image: Image, column: Int, row: Int) -> (pixels: [(UInt8, UInt8, UInt8)], width: Int)
  {
    var pixels: [(UInt8, UInt8, UInt8)] = []
    for y in 0..<CanvasRaster.cellHeight {
      for x in 0..<CanvasRaster.cellWidth {
        let offset =
          ((row * CanvasRaster.cellHeight + y) * image.width + column * CanvasRaster.cellWidth + x) * 3
        func byte(_ i: Int) -> UInt8 { UInt8((image.pixels[offset + i] * 255).rounded()) }
        pixels.append((byte(0), byte(1), byte(2)))
      }
    }
    return (pixels, CanvasRaster.cellWidth)
  }

  /// The PNG of a real screen decodes, through libpng, to the canvas's cells: in every cell only
  /// its resolved foreground and background appear, the lit pixels are exactly its character's
  /// shape (with bold/underline), and that shape names the character back (up to glyphs drawn alike).
  @Test(arguments: [Screen.attention, .decode, .modelView, .positional, .qkDetail])
  func pngDecodesToTheCanvasCells(_ screen: Screen) throws {
    let (session, state) = try ViewerSessionTests.session()
    var shown = state
    var host = session
    _ = EffectLoop.run(
      [.event(.key(.character(Character(String(screen.rawValue)))))], state: &shown, session: &host,
      size: (80, 24))
    let canvas = AppView.view(shown, size: (80, 24))
    let bytes = try ScreenPicture.png(canvas, depth: .trueColor)
    let image = try PNG.decode(bytes, file: "screen.png")
    #expect(image.width == 80 * CanvasRaster.cellWidth && image.height == 24 * CanvasRaster.cellHeight)
    #expect(image.channels == 3)
    let classes = Self.charactersByShape(Set(canvas.cells.map(\.character)))
    var unknown: Set<Character> = []
    for row in 0..<canvas.height {
      for column in 0..<canvas.width {
        let cell = canvas[column, row]
        let (fg, bg) = CanvasRaster.colors(of: cell, depth: .trueColor)
        let pixels = Self.readCell(image, column: column, row: row).pixels
        let lit = pixels.map { $0 == fg && $0 != bg }
        let onlyTwoColours = pixels.allSatisfy { $0 == fg || $0 == bg }
        #expect(onlyTwoColours, "cell (\(column), \(row)) '\(cell.character)' has other colours")
        guard fg != bg else { continue }
        #expect(lit == CanvasRaster.mask(of: cell), "cell (\(column), \(row)) '\(cell.character)'")
        if cell.attributes.isDisjoint(with: [.bold, .underline]) {
          #expect(classes[lit]?.contains(cell.character) == true, "'\(cell.character)' does not read back")
        }
        if !CanvasRaster.draws(cell.character) { unknown.insert(cell.character) }
      }
    }
    #expect(unknown.isEmpty, "drawn as empty boxes: \(unknown.sorted())")
  }

  /// Different characters of the font look different (so a picture reads back), but for the
  /// blank-looking ones listed.
  @Test func glyphsAreDistinct() {
    let printable = (0x20..<0x7F).map { Character(Unicode.Scalar($0)!) }
    let symbols = Array("·•●■×÷±−–—…→←↑↓▲▼▶◀✓✗απΣ√∞≥≤′‘’“”²ᵀᵢ⌊⌋èéàìòù│─┌┐└┘├┤┬┴┼║═┃━▀▄█▌▐░▒▓▁▂▃▅▆▇⠁⣿")
    let classes = Self.charactersByShape(Set(printable + symbols))
    let shared = classes.values.filter { $0.count > 1 }.map { String($0.sorted()) }
    #expect(shared.isEmpty, "drawn alike: \(shared)")
    for character in printable + symbols { #expect(CanvasRaster.draws(character), "\(character)") }
    #expect(!CanvasRaster.draws("の"), "outside the font: an empty box (the SVG and ANSI keep it)")
  }

  /// `s` writes the PNG beside the SVG and the ANSI text.
  @Test func exportWritesThreeFiles() throws {
    var (session, state) = try ViewerSessionTests.session()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("attnscope-png-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let message = session.perform(.exportScreen(name: directory.path + "/shot"), state: state, size: (80, 24))
    guard case .exported(let paths) = message else {
      Issue.record("not exported: \(String(describing: message))")
      return
    }
    #expect(paths.map { URL(fileURLWithPath: $0).lastPathComponent } == ["shot.svg", "shot.ans", "shot.png"])
    let png = try PNG.decode(
      Array(try Data(contentsOf: directory.appendingPathComponent("shot.png"))), file: "shot.png")
    #expect(png.width == 80 * CanvasRaster.cellWidth)
    _ = update(&state, message!)
    #expect(state.notice?.contains("shot.png") == true)
  }
}

@Suite struct ListingTests {
  /// A made-up Hugging Face cache (one complete snapshot, one without config.json), Ollama store
  /// (one manifest with its blob, one whose blob is missing) and history (one folder that exists,
  /// one that no longer does).
  @Test func listsEveryStoreOnceAndSkipsWhatWouldNotOpen() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("attnscope-list-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let fm = FileManager.default
    func write(_ path: String, _ text: String) throws {
      try fm.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
    try write("\(root)/hf/models--org--good/refs/main", "abc")
    try write("\(root)/hf/models--org--good/snapshots/abc/config.json", "{}")
    try write("\(root)/hf/models--org--empty/refs/main", "abc")
    let digest = String(repeating: "a", count: 64)
    let manifest =
      "{\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":\"sha256:\(digest)\"}]}"
    try write("\(root)/ollama/manifests/registry.ollama.ai/library/tiny/latest", manifest)
    try write("\(root)/ollama/blobs/sha256-\(digest)", "GGUF")
    try write(
      "\(root)/ollama/manifests/registry.ollama.ai/user/gone/v1",
      manifest.replacingOccurrences(of: "a", with: "b"))
    try write("\(root)/folder/config.json", "{}")
    let environment = [
      "HF_HUB_CACHE": "\(root)/hf", "OLLAMA_MODELS": "\(root)/ollama", "XDG_STATE_HOME": "\(root)/state",
    ]
    #expect(OpenHistory.remember("\(root)/folder", environment: environment))
    #expect(OpenHistory.remember("en-it", environment: environment), "a sample name is not remembered")
    try write(OpenHistory.file(environment: environment), "\(root)/folder\n\(root)/removed\nnot-a-path\n")
    let choices = ModelListing.choices(environment: environment)
    let samples = choices.filter { $0.origin == .sample }.map(\.reference)
    #expect(samples == ModelCatalog.bundledNames() && samples.contains("en-it"))
    #expect(choices.filter { $0.origin == .hubCache }.map(\.reference) == ["org/good"])
    #expect(choices.filter { $0.origin == .ollama }.map(\.reference) == ["ollama:tiny:latest"])
    #expect(choices.filter { $0.origin == .recent }.map(\.reference) == ["\(root)/folder"])
  }

  @Test func historyKeepsNewestFirstWithoutRepeats() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("attnscope-hist-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    for name in ["a", "b"] {
      try FileManager.default.createDirectory(atPath: "\(root)/\(name)", withIntermediateDirectories: true)
    }
    let environment = ["XDG_STATE_HOME": "\(root)/state"]
    OpenHistory.remember("\(root)/a", environment: environment)
    OpenHistory.remember("\(root)/b", environment: environment)
    OpenHistory.remember("\(root)/a", environment: environment)
    #expect(OpenHistory.recent(environment: environment) == ["\(root)/a", "\(root)/b"])
    #expect(OpenHistory.file(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/attnscope/opened")
    // A directory where the file should be: nothing listed, nothing thrown.
    let blocked = ["XDG_STATE_HOME": "\(root)/a"]
    try FileManager.default.createDirectory(
      atPath: "\(root)/a/attnscope/opened", withIntermediateDirectories: true)
    #expect(OpenHistory.recent(environment: blocked) == [])
    #expect(!OpenHistory.remember("\(root)/b", environment: blocked))
  }
}

@Suite struct ScriptedRunTests {
  /// The keys go through `update` and the session exactly as typed keys do: a decode run arrives
  /// for screen 2 and stepping moves through it; `q` stops the script.
  @Test func keysDriveTheSameLoop() throws {
    var (session, state) = try ViewerSessionTests.session()
    let steps = try KeyScript.parse("2 n n q ]")
    let ran = EffectLoop.run(steps, state: &state, session: &session, size: (100, 30))
    #expect(ran == 4)
    #expect(state.screen == .decode)
    #expect(state.decode.step == 2)
    #expect(state.decode.run != nil)
  }
}
