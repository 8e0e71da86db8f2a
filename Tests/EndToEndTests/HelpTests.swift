// The help texts are part of the interface: the root's and every subcommand's `--help` are pinned
// in Golden/, so a change to an option or its wording is deliberate. After such a change, re-record
// with RECORD_SNAPSHOTS=1 (the run fails, to say it recorded) and review the diff of Golden/.
import Foundation
import Testing

@Suite struct HelpTests {
  /// Every subcommand registered in Attnscope.swift; `rootHelpListsThePinnedSubcommands` fails
  /// when one is added without being pinned here.
  static let subcommands = [
    "view", "attention", "train", "eval", "init-model", "decode", "classify", "pe", "heads", "contrast", "lens",
  ]

  func expectPinned(_ arguments: [String], golden name: String) throws {
    // ArgumentParser wraps to $COLUMNS when set, to 80 columns otherwise: pin the width.
    let run = try runBinary(arguments, environment: ["COLUMNS": "80"])
    #expect(run.status == 0, "\(run.errors)")
    let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Golden/\(name)")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
      try run.output.write(to: golden, atomically: true, encoding: .utf8)
      Issue.record("re-recorded \(golden.path); unset RECORD_SNAPSHOTS and run again")
    }
    #expect(run.output == (try String(contentsOf: golden, encoding: .utf8)), "\(arguments)")
  }

  @Test func helpIsPinned() throws {
    try expectPinned(["--help"], golden: "help.txt")
  }

  @Test(arguments: subcommands) func subcommandHelpIsPinned(_ subcommand: String) throws {
    try expectPinned([subcommand, "--help"], golden: "help-\(subcommand).txt")
  }

  /// The names in the root help's SUBCOMMANDS section ("view (default)" counts as "view").
  @Test func rootHelpListsThePinnedSubcommands() throws {
    let lines = try runBinary(["--help"]).output.components(separatedBy: "\n")
    let section = lines.drop { $0 != "SUBCOMMANDS:" }.dropFirst().prefix { !$0.isEmpty }
    let names = section.filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
      .compactMap { $0.split(separator: " ").first.map(String.init) }
    #expect(names.sorted() == Self.subcommands.sorted())
  }
}
