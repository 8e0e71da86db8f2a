// `--model ORG/NAME[@REVISION]` from a Hugging Face cache laid out as huggingface_hub writes it
// (refs/<branch> → commit, snapshots/<commit>/ files as symlinks into blobs/), built here from the
// GPT-2 fixture; and the one-line answer when a name is not there.
import Foundation
import Testing
import Transformer

@testable import Workbench

@Suite struct HubCacheTests {
  static let gpt2 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("HuggingFaceTests/Fixtures/gpt2")

  /// A cache root holding ORG/NAME at `commit`, with refs/main pointing at it.
  func makeCache(commit: String = "0123abcd") throws -> String {
    let fm = FileManager.default
    let root = fm.temporaryDirectory.appendingPathComponent("hub-\(UUID().uuidString)")
    let repository = root.appendingPathComponent("models--tiny-org--tiny-gpt2")
    let snapshot = repository.appendingPathComponent("snapshots/\(commit)")
    let blobs = repository.appendingPathComponent("blobs")
    try fm.createDirectory(at: snapshot, withIntermediateDirectories: true)
    try fm.createDirectory(at: blobs, withIntermediateDirectories: true)
    try fm.createDirectory(at: repository.appendingPathComponent("refs"), withIntermediateDirectories: true)
    try "\(commit)\n".write(
      to: repository.appendingPathComponent("refs/main"), atomically: true, encoding: .utf8)
    for (index, file) in try fm.contentsOfDirectory(atPath: Self.gpt2.path).sorted().enumerated()
    where file != "expected.safetensors" {
      let blob = blobs.appendingPathComponent("blob\(index)")
      try fm.copyItem(at: Self.gpt2.appendingPathComponent(file), to: blob)
      try fm.createSymbolicLink(
        atPath: snapshot.appendingPathComponent(file).path, withDestinationPath: "../../blobs/blob\(index)")
    }
    return root.path
  }

  @Test func hubNamesAreToldFromPaths() {
    #expect(HubCache.isHubName("HuggingFaceTB/SmolLM2-135M-Instruct"))
    #expect(HubCache.isHubName("Qwen/Qwen2.5-0.5B@main"))
    for path in ["./a/b", "/abs/path", "a/b/c", "../x", "a/", "en-it", "a/.."] {
      #expect(!HubCache.isHubName(path), "\(path)")
    }
  }

  @Test func opensTheSnapshotOfMainOrOfARevision() throws {
    let root = try makeCache()
    let environment = ["HF_HUB_CACHE": root]
    let folder = try HubCache.snapshot("tiny-org/tiny-gpt2", environment: environment)
    #expect(folder.hasSuffix("snapshots/0123abcd"))
    #expect(try HubCache.snapshot("tiny-org/tiny-gpt2@0123abcd", environment: environment) == folder)
    guard case .text(let model) = try ModelFormats.open(path: folder, name: "tiny-org/tiny-gpt2") else {
      Issue.record("a text model")
      return
    }
    #expect(model.name == "tiny-org/tiny-gpt2")
    #expect(try model.trace(text: "I love you").trace.tokens.decoder == ["I", "Ġlove", "Ġyou"])
  }

  @Test func rootFollowsHuggingFaceHubsOrder() {
    #expect(HubCache.root(environment: ["HF_HUB_CACHE": "/c", "HF_HOME": "/h", "HOME": "/u"]) == "/c")
    #expect(HubCache.root(environment: ["HF_HOME": "/h", "HOME": "/u"]) == "/h/hub")
    #expect(HubCache.root(environment: ["HOME": "/u"]) == "/u/.cache/huggingface/hub")
  }

  @Test func aMissingNameSaysWhereItLooked() throws {
    let root = try makeCache()
    let environment = ["HF_HUB_CACHE": root]
    #expect(throws: ModelError.self) { try HubCache.snapshot("nobody/nothing", environment: environment) }
    do {
      _ = try HubCache.snapshot("nobody/nothing", environment: environment)
    } catch {
      #expect(error.description.contains("\(root)/models--nobody--nothing"))
      #expect(!error.description.contains("\n"))
    }
    do {
      _ = try HubCache.snapshot("tiny-org/tiny-gpt2@v9", environment: environment)
      Issue.record("a missing revision must fail")
    } catch {
      #expect(error.description.contains("revision 'v9'"))
    }
  }
}
