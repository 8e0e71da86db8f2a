// The open dialog's list (Effect.listModels): bundled samples, the Hugging Face cache, Ollama's
// store, then the folders and files opened before (OpenHistory), each named once.
import AppCore
import Foundation
import Workbench

public enum ModelListing {
  public static func choices(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> [OpenChoice]
  {
    var choices = ModelCatalog.bundledNames().map { OpenChoice(reference: $0, origin: .sample) }
    choices += HubCache.cachedModels(environment: environment).map {
      OpenChoice(reference: $0, origin: .hubCache)
    }
    choices += OllamaStore.storedModels(environment: environment).map {
      OpenChoice(reference: $0, origin: .ollama)
    }
    let listed = Set(choices.map(\.reference))
    choices += OpenHistory.recent(environment: environment).filter { !listed.contains($0) }.map {
      OpenChoice(reference: $0, origin: .recent)
    }
    return choices
  }
}
