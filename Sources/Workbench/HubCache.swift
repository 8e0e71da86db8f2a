// Models that transformers has already downloaded, opened offline from the Hugging Face cache
// (huggingface_hub's layout: <cache>/models--ORG--NAME/refs/<branch> holds a commit hash, and
// snapshots/<hash>/ the files, as symlinks into blobs/). attnscope never downloads anything.
import Foundation
import Transformer

public enum HubCache {
  /// The cache root, as huggingface_hub chooses it: $HF_HUB_CACHE, else $HF_HOME/hub, else
  /// ~/.cache/huggingface/hub.
  public static func root(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let cache = environment["HF_HUB_CACHE"], !cache.isEmpty { return cache }
    if let home = environment["HF_HOME"], !home.isEmpty { return home + "/hub" }
    let user = environment["HOME"] ?? NSHomeDirectory()
    return user + "/.cache/huggingface/hub"
  }

  /// Whether `reference` names a Hub model: ORG/NAME or ORG/NAME@REVISION, one slash, no path
  /// syntax (so "./x/y" and "/abs" stay paths).
  public static func isHubName(_ reference: String) -> Bool {
    let name = reference.split(separator: "@", maxSplits: 1).first.map(String.init) ?? reference
    let parts = name.split(separator: "/", omittingEmptySubsequences: false)
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
    return parts.count == 2
      && parts.allSatisfy {
        !$0.isEmpty && $0 != "." && $0 != ".." && $0.unicodeScalars.allSatisfy(allowed.contains)
      }
  }

  /// The snapshot folder of `reference` (ORG/NAME, ORG/NAME@branch or ORG/NAME@commit), or an
  /// error saying where it looked.
  public static func snapshot(
    _ reference: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(ModelError) -> String {
    let pieces = reference.split(separator: "@", maxSplits: 1).map(String.init)
    let (name, revision) = (pieces[0], pieces.count > 1 ? pieces[1] : "main")
    let repository =
      root(environment: environment) + "/models--" + name.replacingOccurrences(of: "/", with: "--")
    let fm = FileManager.default
    func notFound(_ detail: String) -> ModelError {
      ModelError(
        "model '\(reference)' is not a folder, nor in the Hugging Face cache (\(detail)); attnscope never downloads: "
          + "fetch it once with transformers or `hf download`, or set HF_HUB_CACHE / HF_HOME")
    }
    guard fm.fileExists(atPath: repository) else { throw notFound("looked in \(repository)") }
    var commit = revision
    let reference = repository + "/refs/" + revision
    if !revision.contains("/"), let text = try? String(contentsOfFile: reference, encoding: .utf8) {
      commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let snapshot = repository + "/snapshots/" + commit
    guard !commit.contains("/"), !commit.isEmpty, fm.fileExists(atPath: snapshot + "/config.json") else {
      throw notFound(
        "no snapshot for revision '\(revision)' with a config.json under \(repository)/snapshots")
    }
    return snapshot
  }
}
