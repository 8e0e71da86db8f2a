// `--model ollama:NAME[:TAG]` against a store laid out as Ollama writes it (manifest JSON naming a
// sha256 blob), built here around a committed GGUF fixture; and the one-line answers when a name,
// a tag, a layer or a blob is not there or not well formed.
import Foundation
import Testing
import Transformer

@testable import Workbench

@Suite struct OllamaStoreTests {
  static let digest = String(repeating: "ab12", count: 16)

  /// A store with library/tiny:latest (and user/other:q4) naming a blob holding `blob`.
  func makeStore(manifest: String? = nil, blob: Data = Data("GGUF….".utf8)) throws -> String {
    let fm = FileManager.default
    let root = fm.temporaryDirectory.appendingPathComponent("ollama-\(UUID().uuidString)")
    let library = root.appendingPathComponent("manifests/registry.ollama.ai/library/tiny")
    let user = root.appendingPathComponent("manifests/registry.ollama.ai/user/other")
    for folder in [library, user, root.appendingPathComponent("blobs")] {
      try fm.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    let text =
      manifest ?? """
        {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": "sha256:00"},
         "layers": [
           {"mediaType": "application/vnd.ollama.image.template", "digest": "sha256:ff", "size": 3},
           {"mediaType": "application/vnd.ollama.image.model", "digest": "sha256:\(Self.digest)", "size": 7}]}
        """
    try text.write(to: library.appendingPathComponent("latest"), atomically: true, encoding: .utf8)
    try text.write(to: user.appendingPathComponent("q4"), atomically: true, encoding: .utf8)
    try blob.write(to: root.appendingPathComponent("blobs/sha256-\(Self.digest)"))
    return root.path
  }

  func message(_ reference: String, _ root: String) -> String {
    do {
      return try OllamaStore.blob(reference, environment: ["OLLAMA_MODELS": root])
    } catch {
      #expect(!error.description.contains("\n"))
      return error.description
    }
  }

  @Test func findsTheModelLayersBlob() throws {
    let root = try makeStore()
    #expect(message("ollama:tiny", root) == "\(root)/blobs/sha256-\(Self.digest)")
    #expect(message("ollama:tiny:latest", root) == "\(root)/blobs/sha256-\(Self.digest)")
    #expect(message("ollama:user/other:q4", root) == "\(root)/blobs/sha256-\(Self.digest)")
  }

  @Test func rootFollowsOllamasOrder() {
    #expect(OllamaStore.root(environment: ["OLLAMA_MODELS": "/m", "HOME": "/u"]) == "/m")
    #expect(OllamaStore.root(environment: ["HOME": "/u"]) == "/u/.ollama/models")
  }

  @Test func missingNamesAndTagsSayWhereTheyLooked() throws {
    let root = try makeStore()
    #expect(
      message("ollama:nothing", root).contains(
        "looked for \(root)/manifests/registry.ollama.ai/library/nothing/latest"))
    #expect(message("ollama:tiny:7b", root).contains("library/tiny/7b"))
  }

  @Test func pathSyntaxNeverReachesTheFileSystem() throws {
    let root = try makeStore()
    for reference in ["ollama:../tiny", "ollama:a/b/c", "ollama:", "ollama:tiny:../x", "ollama:/abs"] {
      #expect(message(reference, root).contains("an Ollama model is ollama:NAME"), "\(reference)")
    }
  }

  @Test func badManifestsAreNamed() throws {
    let noModel = try makeStore(manifest: #"{"layers": [{"mediaType": "x", "digest": "sha256:00"}]}"#)
    #expect(
      message("ollama:tiny", noModel).contains("no layer of media type application/vnd.ollama.image.model"))
    let badDigest = try makeStore(
      manifest:
        #"{"layers": [{"mediaType": "application/vnd.ollama.image.model", "digest": "sha256:../../etc"}]}"#)
    #expect(message("ollama:tiny", badDigest).contains("is not sha256:<64 hex digits>"))
    let notJSON = try makeStore(manifest: "{layers")
    #expect(message("ollama:tiny", notJSON).contains("not valid JSON"))
    let root = try makeStore()
    try FileManager.default.removeItem(atPath: "\(root)/blobs/sha256-\(Self.digest)")
    #expect(message("ollama:tiny", root).contains("which is missing"))
  }

  @Test func aBlobThatIsNotGGUFIsRefusedByTheSeam() throws {
    let root = try makeStore(blob: Data("not a model".utf8))
    let blob = message("ollama:tiny", root)
    do {
      _ = try ModelFormats.open(path: blob, name: "ollama:tiny")
      Issue.record("a non-GGUF blob must be refused")
    } catch {
      #expect(error.description.contains("a file that is not a GGUF model"))
    }
  }
}
