// `--model ollama:NAME[:TAG]`: the GGUF file Ollama already has for a model, found offline in its
// store ($OLLAMA_MODELS, else ~/.ollama/models): manifests/registry.ollama.ai/library/NAME/TAG is
// an OCI-style JSON manifest whose layer of media type application/vnd.ollama.image.model names the
// blob blobs/sha256-<digest>, the GGUF itself. Names with a slash (user/model) keep their namespace.
import FileInput
import Foundation
import JSON
import Transformer

public enum OllamaStore {
  public static let prefix = "ollama:"
  static let modelMediaType = "application/vnd.ollama.image.model"

  public static func root(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let models = environment["OLLAMA_MODELS"], !models.isEmpty { return models }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/.ollama/models"
  }

  /// The GGUF blob of `reference` ("ollama:NAME[:TAG]"), or one line saying where it looked.
  public static func blob(
    _ reference: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(ModelError) -> String {
    let spec = String(reference.dropFirst(prefix.count))
    let pieces = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    let (name, tag) = (pieces[0], pieces.count > 1 ? pieces[1] : "latest")
    let segment = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
    let parts = name.split(separator: "/", omittingEmptySubsequences: false)
    // Path syntax never reaches the file system: each part a plain name, at most namespace/name.
    guard (1...2).contains(parts.count),
      (parts + [Substring(tag)]).allSatisfy({
        !$0.isEmpty && $0 != "." && $0 != ".." && $0.unicodeScalars.allSatisfy(segment.contains)
      })
    else { throw ModelError("'\(reference)': an Ollama model is ollama:NAME or ollama:NAME:TAG") }
    let store = root(environment: environment)
    let repository = parts.count == 1 ? "library/\(name)" : name
    let manifest = "\(store)/manifests/registry.ollama.ai/\(repository)/\(tag)"
    let bytes: [UInt8]
    do { bytes = try InputFile.read(manifest, limit: InputFile.Limit.jsonConfig) } catch {
      throw ModelError(
        "'\(reference)' is not in Ollama's store (looked for \(manifest); set OLLAMA_MODELS, or `ollama pull` it first)"
      )
    }
    let json: JSONValue
    do { json = try JSONValue.parse(bytes) } catch {
      throw ModelError("\(manifest): not valid JSON: \(error.description)")
    }
    let layer = json["layers"]?.arrayValue?.first { $0["mediaType"]?.stringValue == modelMediaType }
    guard let digest = layer?["digest"]?.stringValue else {
      throw ModelError("\(manifest): no layer of media type \(modelMediaType) (not a model manifest)")
    }
    let hex = digest.hasPrefix("sha256:") ? String(digest.dropFirst(7)) : ""
    guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
      throw ModelError("\(manifest): the model layer's digest \"\(digest)\" is not sha256:<64 hex digits>")
    }
    let blob = "\(store)/blobs/sha256-\(hex)"
    guard FileManager.default.fileExists(atPath: blob) else {
      throw ModelError("\(manifest) names \(blob), which is missing (an interrupted `ollama pull`?)")
    }
    return blob
  }
}
