// The README's viewer and picture commands run as written (from a directory without samples/, the
// binary found on the PATH): each `attnscope …` line of the viewer and "Recordings and pictures"
// sections. The one path into an installed prefix (/usr/local/share/attnscope/models) is pointed at
// the checkout's samples/models, which `make install` copies there. Synopses ([--flag]) are not
// commands; `eval` (minutes in a debug build on a shared machine) and the Hugging Face examples
// (which need a download) are not run here.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ReadmeCommandTests {
  static func commands(section: String) throws -> [String] {
    let readme = try String(
      contentsOf: InstallTests.repository.appendingPathComponent("README.md"), encoding: .utf8)
    let body = readme.components(separatedBy: "\n## ").first { $0.hasPrefix(section) } ?? ""
    return body.components(separatedBy: "\n").filter { $0.hasPrefix("    attnscope ") }.map {
      String($0.dropFirst(4).split(separator: "#", maxSplits: 1)[0]).trimmingCharacters(in: .whitespaces)
    }
  }

  @Test func viewerAndPictureCommandsRunAsWritten() throws {
    let viewer = try Self.commands(section: "The viewer")
    let pictures = try Self.commands(section: "Recordings and pictures")
    #expect(viewer.count == 4 && pictures.count == 4, "\(viewer) \(pictures)")
    let directory = try InstallTests.temporaryDirectory("readme")
    defer { try? FileManager.default.removeItem(at: directory) }
    let bin = directory.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: bin.appendingPathComponent("attnscope"),
      withDestinationURL: URL(fileURLWithPath: TmuxSession.binaryPath()))
    let samples = InstallTests.repository.appendingPathComponent("samples/models").path
    let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    for command in viewer + pictures {
      let line = command.replacingOccurrences(of: "/usr/local/share/attnscope/models", with: samples)
      if line.contains("--snapshot") {
        let run = try runProgram("/bin/sh", ["-c", line], in: directory, environment: ["PATH": path])
        #expect(run.status == 0 && run.errors.isEmpty, "\(line): \(run.errors)")
        continue
      }
      let tmux = TmuxSession()
      defer { tmux.kill() }
      try tmux.start(
        command: ["sh", "-c", "cd \(directory.path) && PATH=\(path) exec \(line)"], width: 100, height: 30)
      try tmux.waitFor("q quit", timeout: 20)
      try tmux.sendKeys("q")
      #expect(try tmux.waitForExit() == 0, "\(line)")
    }
    for file in ["cross.png", "decode.svg", "grid.ans", "session.cast"] {
      #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path), "\(file)")
    }
  }
}
