// What the open dialog lists from the local stores, offline: every model transformers has
// downloaded into the Hugging Face cache (a models--ORG--NAME folder whose main snapshot has a
// config.json) and every model in Ollama's store (a manifest per NAME/TAG). Only names are read;
// nothing is opened until the user picks one.
import Foundation

extension HubCache {
  /// "ORG/NAME" of each cached model that `snapshot` would open, sorted.
  public static func cachedModels(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> [String]
  {
    let root = root(environment: environment)
    let folders = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return folders.filter { $0.hasPrefix("models--") }.compactMap { folder -> String? in
      let parts = folder.dropFirst("models--".count).components(separatedBy: "--")
      guard parts.count == 2 else { return nil }
      let name = parts.joined(separator: "/")
      guard isHubName(name), (try? snapshot(name, environment: environment)) != nil else { return nil }
      return name
    }.sorted()
  }
}

extension OllamaStore {
  /// "ollama:NAME:TAG" (or "ollama:NAMESPACE/NAME:TAG") of each manifest in the store, sorted.
  public static func storedModels(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> [String]
  {
    let registry = root(environment: environment) + "/manifests/registry.ollama.ai"
    let fm = FileManager.default
    var names: [String] = []
    for namespace in (try? fm.contentsOfDirectory(atPath: registry)) ?? [] {
      for model in (try? fm.contentsOfDirectory(atPath: "\(registry)/\(namespace)")) ?? [] {
        for tag in (try? fm.contentsOfDirectory(atPath: "\(registry)/\(namespace)/\(model)")) ?? [] {
          let name = namespace == "library" ? model : "\(namespace)/\(model)"
          names.append("\(prefix)\(name):\(tag)")
        }
      }
    }
    // Only what `blob` accepts (plain names, a model layer present).
    return names.filter { (try? blob($0, environment: environment)) != nil }.sorted()
  }
}
