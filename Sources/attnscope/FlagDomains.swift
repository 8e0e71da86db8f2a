import Decoding
// Every numeric flag has a domain (Decoding's `Domain`); each command's `validate()` checks its
// flags through `checkFlags`, so a value outside one is one line naming the flag, exit status 1,
// before anything is loaded. (A value that is not a number at all is the argument parser's usage
// error, exit 64, as the README says.)
import Tensors

/// Runs the domain checks; the first failure ends the process with its one-line message.
func checkFlags(_ checks: () throws(DomainError) -> Void) {
  do { try checks() } catch { exitWithMessage(error) }
}

extension Domain {
  /// An absent optional flag is always fine.
  func check(_ value: Value?, _ flag: String) throws(DomainError) {
    if let value { try check(value, flag) }
  }
}

/// The domains of the flags that are not decoding numbers (those are `DecodingDomains`).
enum FlagDomains {
  /// 1-based layer and head numbers; the model's own range is checked once it is loaded.
  static let position = Domain<Int>.integers(atLeast: 1)
  /// Training steps: the schedule's warm-up and cosine and the step counter stay far from overflow.
  static let steps = Domain<Int>.integers(1...10_000_000)
  /// Held-out examples scored (`eval --examples`, `train --eval-examples`).
  static let examples = Domain<Int>.integers(1...1_000_000)
  /// `classify --top`.
  static let top = Domain<Int>.integers(1...10_000)
}
