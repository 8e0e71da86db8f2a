// A crash ends at once with one line (CTerminalGuard's quick exit) rather than after Swift's
// backtracer has symbolicated and waited up to 30 s for a key; ATTNSCOPE_BACKTRACE=1 keeps the
// backtracer for debugging (with SWIFT_BACKTRACE=interactive=no it prints and exits without waiting).
import CTerminalGuard

public enum CrashExit {
  /// Call first thing in `main`. Returns false when ATTNSCOPE_BACKTRACE asked for the backtracer.
  @discardableResult
  public static func install() -> Bool { attn_crash_install_quick_exit() == 1 }
}
