// Training progress: a redrawn bar on a terminal, plain log lines otherwise.
import Foundation
import TaskTraining

final class ProgressReporter {
  let interactive: Bool
  private var lastLogged = 0

  init(interactive: Bool) { self.interactive = interactive }

  func report(_ progress: TrainingProgress) {
    let accuracy = progress.heldOut.map { String(format: " held-out %.1f%%", $0.accuracy * 100) } ?? ""
    let figures = String(
      format: "step %d/%d loss %.4f%@ %.0f %@/s ETA %@", progress.step, progress.totalSteps,
      progress.loss, accuracy, progress.tokensPerSecond, progress.unit, Self.clock(progress.remaining.seconds)
    )
    if interactive {
      let width = 24
      let filled = progress.step * width / max(1, progress.totalSteps)
      let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
      FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(figures)".utf8))
      if let metrics = progress.heldOut {
        FileHandle.standardError.write(Data("\n  \(metrics.summary)\n".utf8))
      }
    } else if progress.heldOut != nil || progress.step - lastLogged >= 100 {
      lastLogged = progress.step
      FileHandle.standardError.write(Data("\(figures)\n".utf8))
    }
  }

  func finish() {
    if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
  }

  static func clock(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    return total >= 60 ? "\(total / 60)m\(String(format: "%02d", total % 60))s" : "\(total)s"
  }
}
