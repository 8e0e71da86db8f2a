// A deliberate crash for testing the terminal guard (reliability harness): debug builds only, and
// only when ATTNSCOPE_DEBUG_CRASH names the kind of failure, so a user can never trigger it by accident.
import Foundation

enum DebugCrash {
  /// Called once the TUI has drawn its first frame.
  static func crashIfRequested() {
    #if DEBUG
      guard let kind = ProcessInfo.processInfo.environment["ATTNSCOPE_DEBUG_CRASH"] else { return }
      switch kind {
      case "segv":
        let pointer = UnsafeMutablePointer<Int>(bitPattern: 8)!
        pointer.pointee = 1
      case "abort": abort()
      default: fatalError("ATTNSCOPE_DEBUG_CRASH=\(kind): deliberate crash to test the terminal guard")
      }
    #endif
  }
}
