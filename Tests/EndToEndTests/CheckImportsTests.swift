// scripts/check-imports.swift (`make check-imports`) on a made-up package: the dump-package JSON is
// written by hand, so the test needs no manifest build, only the interpreter (a few seconds).
import Foundation
import Testing

@Suite struct CheckImportsTests {
  /// A declares D and imports B; B imports nothing it lacks; C is imported only behind #if.
  static let dump = """
    {"targets": [
      {"name": "A", "type": "regular", "path": null, "exclude": [],
       "dependencies": [{"byName": ["D", null]}, {"product": ["ArgumentParser", "swift-argument-parser", null, null]}]},
      {"name": "B", "type": "regular", "path": null, "exclude": [], "dependencies": []},
      {"name": "C", "type": "system", "path": null, "exclude": [], "dependencies": []},
      {"name": "D", "type": "regular", "path": null, "exclude": [], "dependencies": []},
      {"name": "ATests", "type": "test", "path": "Tests/Custom", "exclude": ["Fixtures"],
       "dependencies": [{"byName": ["A", null]}]}
    ]}
    """

  static let sources = [
    "Sources/A/a.swift": """
    import Foundation
    @testable import struct B.Thing
    import ArgumentParser
    #if canImport(C)
      import C
    #endif
    /* import D
    */
    let text = \"\"\"
      import D
      \"\"\"
    """,
    "Sources/B/b.swift": "public struct Thing {}\n",
    "Sources/D/d.swift": "public struct Other {}\n",
    "Tests/Custom/a.swift": "@testable import A\nimport Testing\n",
    "Tests/Custom/Fixtures/skipped.swift": "import D\n",
  ]

  func check(_ files: [String: String]) throws -> (status: Int32, output: String) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("check-imports-\(UUID())")
    defer { try? FileManager.default.removeItem(at: root) }
    for (path, text) in files.merging(["dump.json": Self.dump]) { $1 } {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../scripts/check-imports.swift").standardized
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "swift", script.path, "--dump", root.appendingPathComponent("dump.json").path, root.path,
    ]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test func reportsUndeclaredAndUnusedProjectModulesOnly() throws {
    let run = try check(Self.sources)
    #expect(run.status == 1)
    // Not reported: Foundation and Testing (not the package's), C (behind #if), ArgumentParser
    // (declared), D in a comment, a string or an excluded folder.
    #expect(
      run.output == """
        check-imports: A imports B but Package.swift does not declare it
        check-imports: A declares D but never imports it

        """)
  }

  @Test func aPackageThatAgreesPasses() throws {
    var sources = Self.sources
    sources["Sources/A/a.swift"] = "import D\nimport ArgumentParser\n"
    let run = try check(sources)
    #expect(run.status == 0, "\(run.output)")
    #expect(run.output.hasPrefix("check-imports: 5 targets"))
  }
}
