// What `attnscope --version` prints: the release number and the commit the binary was built from
// (written by the Makefile into CBuildStamp; "unknown commit" for a plain `swift build`).
import CBuildStamp

enum BuildInfo {
  static let version = "0.1.0"
  static var commit: String { String(cString: attn_build_commit()) }
  /// "attnscope 0.1.0 (commit 1a2b3c4d5e6f)" or "attnscope 0.1.0 (unknown commit)".
  static var versionLine: String {
    let commit = self.commit
    return "attnscope " + version + (commit == "unknown commit" ? " (unknown commit)" : " (commit \(commit))")
  }
}
