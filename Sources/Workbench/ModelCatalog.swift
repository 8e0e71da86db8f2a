// Finds bundled samples by name, and tells a sample name from a folder path.
import Foundation

public enum ModelCatalog {
  /// The name `attnscope` opens with no arguments.
  public static let defaultModelName = "en-it"

  /// Where `samples/models` may be: $ATTNSCOPE_SAMPLES, the working directory, beside the
  /// executable's build folder (…/.build/<triple>/debug/attnscope), an installed copy
  /// (`make install`: PREFIX/bin/attnscope finds PREFIX/share/attnscope/models), then the source
  /// checkout.
  public static func sampleDirectories(executablePath: String? = runningExecutable())
    -> [String]
  {
    var candidates: [String] = []
    if let override = ProcessInfo.processInfo.environment["ATTNSCOPE_SAMPLES"] {
      candidates.append(override)
    }
    candidates.append(FileManager.default.currentDirectoryPath + "/samples/models")
    if let executablePath {
      var url = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
      for _ in 0..<5 {
        url.deleteLastPathComponent()
        candidates.append(url.appendingPathComponent("samples/models").path)
      }
      let bin = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
      candidates.append(bin.deletingLastPathComponent().appendingPathComponent("share/attnscope/models").path)
    }
    let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(checkout.appendingPathComponent("samples/models").path)
    return candidates
  }

  /// The running binary's path: /proc/self/exe where there is one, since argv[0] is only
  /// "attnscope" when the shell found it on the PATH.
  public static func runningExecutable() -> String? {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    return CommandLine.arguments.first
  }

  /// A folder path for `nameOrPath`: an existing folder as given, else a bundled sample's folder.
  public static func resolve(_ nameOrPath: String) -> (folder: String, name: String)? {
    var isDirectory: ObjCBool = false
    if nameOrPath.contains("/") || nameOrPath.hasPrefix(".") {
      guard FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory) else {
        return nil
      }
      return (nameOrPath, URL(fileURLWithPath: nameOrPath).lastPathComponent)
    }
    for directory in sampleDirectories() {
      let folder = directory + "/" + nameOrPath
      if FileManager.default.fileExists(atPath: folder + "/config.json") {
        return (folder, nameOrPath)
      }
    }
    if FileManager.default.fileExists(atPath: nameOrPath + "/config.json") {
      return (nameOrPath, URL(fileURLWithPath: nameOrPath).lastPathComponent)
    }
    // A single-file model (model.gguf) in the working directory.
    if FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory), !isDirectory.boolValue {
      return (nameOrPath, URL(fileURLWithPath: nameOrPath).lastPathComponent)
    }
    return nil
  }

  /// Names of the bundled samples found, sorted.
  public static func bundledNames() -> [String] {
    for directory in sampleDirectories() {
      if let names = try? FileManager.default.contentsOfDirectory(atPath: directory),
        !names.isEmpty
      {
        return names.filter { FileManager.default.fileExists(atPath: "\(directory)/\($0)/config.json") }
          .sorted()
      }
    }
    return []
  }
}
