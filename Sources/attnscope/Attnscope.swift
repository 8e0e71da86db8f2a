// The attnscope command line: the TUI by default, headless exports as subcommands.
import ArgumentParser
import Foundation
import Tensors
import Terminal
import Workbench

@main
struct Attnscope: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attnscope",
    abstract: "Look inside a Transformer's attention from the terminal.",
    discussion: """
      With no subcommand, opens the interactive viewer on the bundled default model.
      Bundled models live in samples/models; --model also takes a model folder
      (config.json + model.safetensors + vocabulary).
      """,
    version: BuildInfo.versionLine,
    subcommands: [
      ViewCommand.self, AttentionCommand.self, TrainCommand.self, EvalCommand.self,
      InitModelCommand.self, DecodeCommand.self, ClassifyCommand.self, PositionalCommand.self,
      HeadsCommand.self, ContrastCommand.self, LensCommand.self,
    ],
    defaultSubcommand: ViewCommand.self)

  /// ArgumentParser's entry point, after the allocator is set to keep big buffers (MemoryTuning).
  static func main() {
    CrashExit.install()  // a crash: one line and gone, not the backtracer's 30 s (ATTNSCOPE_BACKTRACE=1)
    MemoryTuning.keepLargeBuffersInProcess()
    if ProcessInfo.processInfo.environment["ATTNSCOPE_BLAS_THREADS"] == nil { Parallelism.takeOverThreads() }
    main(nil)
  }
}

/// `--model`, shared by every command that opens a model.
struct ModelChoice: ParsableArguments {
  @Option(name: .long, help: "A bundled sample's name or a model folder.")
  var model: String = ModelCatalog.defaultModelName
}

/// The options of the commands that trace one input of any model: `--model` and its input.
struct ModelOptions: ParsableArguments {
  @OptionGroup var choice: ModelChoice
  var model: String {
    get { choice.model }
    set { choice.model = newValue }
  }

  @Option(name: .long, help: "The input sentence (default: the model's own example).")
  var text: String?

  @Option(
    name: .long,
    help: "Encoder-decoder only: the target sentence fed to the decoder (default: greedy output).")
  var target: String?

  @Option(name: .long, help: "ViT models: a PNG or PGM/PPM image (default: the model's example image).")
  var image: String?
}
