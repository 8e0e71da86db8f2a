// Checks that Package.swift declares every project module each target imports, and nothing it never
// imports (`make check-imports`, run first by `make test`). A target that builds only because another
// target happened to build its dependency first breaks on a clean or parallel build; a dependency
// nobody imports hides the real module graph that docs/ARCHITECTURE.md describes.
//
// Usage: swift scripts/check-imports.swift [--dump DUMP.json] [PACKAGE_ROOT]
//   Without --dump it runs `swift package dump-package` on PACKAGE_ROOT (default: the current folder).
//
// Only modules the manifest itself names count: the package's targets and the products its targets
// depend on (ArgumentParser). System modules (Foundation, Glibc, Darwin, Dispatch, Testing …) are
// ignored. An import inside `#if` (canImport(Accelerate)/CBLAS, os(Linux)) may be platform-specific,
// so it counts as a use of a declared dependency but is never required to be declared.
// Written in Swift, not Python, so a fresh CI machine needs nothing beyond the toolchain.
import Foundation

struct Target {
  var name: String
  var type: String
  var directory: URL
  var sources: [String]?
  var exclude: [String]
  /// Dependency module names; a product's module is assumed to carry the product's name.
  var dependencies: [String]
}

struct Imports {
  /// Module → true when every import of it sits inside an `#if`.
  var modules: [String: Bool] = [:]

  mutating func add(_ module: String, conditional: Bool) {
    modules[module] = (modules[module] ?? true) && conditional
  }
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("check-imports: \(message)\n".utf8))
  exit(2)
}

func dumpPackage(root: URL) -> Data {
  // A scratch path of its own, so the check never waits for the lock of a build running in .build.
  let scratch = FileManager.default.temporaryDirectory
    .appendingPathComponent("check-imports-\(ProcessInfo.processInfo.processIdentifier)")
  defer { try? FileManager.default.removeItem(at: scratch) }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [
    ProcessInfo.processInfo.environment["SWIFT"] ?? "swift", "package", "--package-path", root.path,
    "--scratch-path", scratch.path, "dump-package",
  ]
  let output = Pipe()
  process.standardOutput = output
  do { try process.run() } catch { fail("cannot run swift package dump-package: \(error)") }
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  if process.terminationStatus != 0 { fail("swift package dump-package failed") }
  return data
}

/// The dependency's module name, from dump-package's `byName`, `target` or `product` array.
func dependencyName(_ dependency: Any) -> String? {
  guard let object = dependency as? [String: Any] else { return nil }
  for key in ["byName", "target", "product"] {
    if let fields = object[key] as? [Any], let name = fields.first as? String { return name }
  }
  return nil
}

func targets(from dump: Data, root: URL) -> [Target] {
  guard let json = try? JSONSerialization.jsonObject(with: dump) as? [String: Any],
    let list = json["targets"] as? [[String: Any]]
  else { fail("dump-package output has no targets") }
  return list.compactMap { entry in
    guard let name = entry["name"] as? String, let type = entry["type"] as? String else { return nil }
    let defaultRoot = type == "test" ? "Tests" : "Sources"
    let path = (entry["path"] as? String) ?? "\(defaultRoot)/\(name)"
    return Target(
      name: name, type: type, directory: root.appendingPathComponent(path),
      sources: entry["sources"] as? [String], exclude: entry["exclude"] as? [String] ?? [],
      dependencies: (entry["dependencies"] as? [Any] ?? []).compactMap(dependencyName))
  }
}

func swiftFiles(of target: Target) -> [URL] {
  let roots = (target.sources ?? [""]).map { target.directory.appendingPathComponent($0) }
  let excluded = target.exclude.map { target.directory.appendingPathComponent($0).standardized.path }
  var files: [URL] = []
  for root in roots {
    if root.pathExtension == "swift" {
      files.append(root)
      continue
    }
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
      continue
    }
    for case let url as URL in walker where url.pathExtension == "swift" {
      let path = url.standardized.path
      if !excluded.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { files.append(url) }
    }
  }
  return files
}

// `@testable import X`, `public import X`, `import struct X.Y`, `@preconcurrency internal import X` …
let importPattern = try! NSRegularExpression(
  pattern:
    #"^(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?"#
    + #"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#)

/// The imports of one file, skipping block comments and multi-line string literals (test sources
/// that write Swift into temporary packages) and noting which sit inside `#if`.
func scan(_ text: String, into imports: inout Imports) {
  var conditionDepth = 0
  var inBlockComment = false
  var inMultilineString = false
  for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
    var line = rawLine.trimmingCharacters(in: .whitespaces)
    if inBlockComment {
      guard let end = line.range(of: "*/") else { continue }
      line = String(line[end.upperBound...]).trimmingCharacters(in: .whitespaces)
      inBlockComment = false
    }
    if inMultilineString {
      if line.contains("\"\"\"") { inMultilineString = false }
      continue
    }
    if line.components(separatedBy: "\"\"\"").count % 2 == 0 {
      inMultilineString = true
      continue
    }
    if line.hasPrefix("/*") && !line.contains("*/") {
      inBlockComment = true
      continue
    }
    if line.hasPrefix("#if") {
      conditionDepth += 1
    } else if line.hasPrefix("#endif") {
      conditionDepth = max(0, conditionDepth - 1)
    }
    let range = NSRange(line.startIndex..., in: line)
    if let match = importPattern.firstMatch(in: line, range: range),
      let module = Range(match.range(at: 1), in: line)
    {
      imports.add(String(line[module]), conditional: conditionDepth > 0)
    }
  }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var dumpFile: String?
if let index = arguments.firstIndex(of: "--dump") {
  guard index + 1 < arguments.count else { fail("--dump needs a file") }
  dumpFile = arguments[index + 1]
  arguments.removeSubrange(index...(index + 1))
}
let root = URL(fileURLWithPath: arguments.first ?? FileManager.default.currentDirectoryPath)
let dump: Data
if let dumpFile {
  guard let data = FileManager.default.contents(atPath: dumpFile) else { fail("cannot read \(dumpFile)") }
  dump = data
} else {
  dump = dumpPackage(root: root)
}

let all = targets(from: dump, root: root)
let scanned = Set(["regular", "executable", "test", "macro"])
let known = Set(all.map(\.name)).union(all.flatMap(\.dependencies))
var problems: [String] = []
for target in all where scanned.contains(target.type) {
  let files = swiftFiles(of: target)
  if files.isEmpty { continue }  // a C target: its #includes are not ours to check
  var imports = Imports()
  for file in files {
    guard let text = try? String(contentsOf: file, encoding: .utf8) else { fail("cannot read \(file.path)") }
    scan(text, into: &imports)
  }
  let declared = Set(target.dependencies)
  for (module, conditional) in imports.modules.sorted(by: { $0.key < $1.key })
  where known.contains(module) && module != target.name && !declared.contains(module) && !conditional {
    problems.append("\(target.name) imports \(module) but Package.swift does not declare it")
  }
  for module in target.dependencies.sorted() where imports.modules[module] == nil {
    problems.append("\(target.name) declares \(module) but never imports it")
  }
}

if problems.isEmpty {
  print("check-imports: \(all.count) targets, every import declared and every dependency imported")
} else {
  for problem in problems { print("check-imports: \(problem)") }
  exit(1)
}
