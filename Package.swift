// swift-tools-version:6.0
// attnscope: a terminal attention visualiser with an in-process Transformer/ViT engine.
// Module layout and dependency direction: docs/ARCHITECTURE.md.
import PackageDescription

#if os(Linux)
  let blasDependency: [Target.Dependency] = ["CBLAS"]
#else
  let blasDependency: [Target.Dependency] = []  // Accelerate, imported behind #if
#endif

let package = Package(
  name: "attnscope",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "attnscope", targets: ["attnscope"]),
    .library(
      name: "AttnscopeEngine",
      targets: [
        "JSON", "Tensors", "Safetensors", "Trace", "Tokenization", "Transformer", "Workbench",
      ]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "CNcurses", pkgConfig: "ncursesw",
      providers: [.apt(["libncurses-dev"]), .brew(["ncurses"])]),
    .systemLibrary(
      name: "CBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
    .target(name: "CTerminalGuard"),
    // The commit `attnscope --version` names (a header the Makefile writes; "unknown commit" without).
    .target(name: "CBuildStamp"),
    .systemLibrary(
      name: "CPNG", pkgConfig: "libpng",
      providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
    // Bounded reads of regular files only, shared by every loader (RELIABILITY.md).
    .target(name: "FileInput"),
    .target(name: "Imaging", dependencies: ["CPNG", "FileInput"]),

    .target(name: "CKernels"),
    // attnscope's own packed sgemm (BLIS-style, AVX-512 / AVX2 / portable chosen at run time).
    .target(name: "CGemm"),
    .target(name: "Tensors", dependencies: blasDependency + ["CKernels", "CGemm"]),
    // The project's one strict JSON parser, serialiser and Decoder (docs/ARCHITECTURE.md).
    .target(name: "JSON", dependencies: ["FileInput"]),
    .target(name: "Safetensors", dependencies: ["JSON", "FileInput"]),
    // GGUF (llama.cpp's format): the container, read header first and memory-mapped, its tensor
    // types decoded bit for bit as the gguf Python package does, in vectorised C kernels.
    .target(name: "CQuantKernels"),
    .target(name: "GGUF", dependencies: ["FileInput", "Tensors", "CQuantKernels"]),
    .target(name: "Trace"),
    .target(name: "Tokenization", dependencies: ["JSON", "FileInput"]),
    .target(name: "Transformer", dependencies: ["Tensors", "Safetensors", "Trace", "JSON", "FileInput"]),
    .target(
      name: "Workbench",
      dependencies: [
        "Transformer", "Tokenization", "Trace", "Decoding", "Imaging", "HuggingFace", "JSON", "GGUF",
        "Tensors",
        "FileInput",
      ]),
    // The viewer's host side: carries out AppCore's effects on a Workbench model, answers messages.
    .target(
      name: "ViewerHost",
      dependencies: [
        "AppCore", "Workbench", "Decoding", "Trace", "Transformer", "Tensors", "Render", "Imaging",
        "FileInput", "Tokenization",
      ]),
    .target(
      name: "HuggingFace",
      dependencies: [
        "Transformer", "Tensors", "Safetensors", "Tokenization", "Decoding", "JSON", "FileInput", "Trace",
      ]),
    .target(name: "Decoding", dependencies: ["Trace", "Tensors"]),
    .target(name: "Training", dependencies: ["Tensors", "Transformer"]),
    .target(name: "Tasks"),
    .target(
      name: "TaskTraining",
      dependencies: [
        "Tasks", "Training", "Transformer", "Tokenization", "Trace", "Tensors", "Imaging", "Decoding",
        "Workbench",
      ]),
    .target(name: "Render"),
    .target(name: "AppCore", dependencies: ["Render", "Trace"]),
    .target(name: "Terminal", dependencies: ["CNcurses", "CTerminalGuard", "Render"]),
    .executableTarget(
      name: "attnscope",
      dependencies: [
        "Workbench", "ViewerHost", "Transformer", "Tokenization", "Trace", "Render", "AppCore", "Terminal",
        "TaskTraining", "Training", "Decoding", "Tasks", "Imaging", "Tensors", "CBuildStamp",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(
      name: "attnscope-bench",
      dependencies: [
        "Tensors", "CGemm", "Transformer", "Workbench", "ViewerHost", "Trace", "Render", "AppCore", "Decoding",
        "Tokenization",
      ]),
    // libFuzzer targets (see ../shared/RELIABILITY.md and `make fuzz`).
    .executableTarget(name: "FuzzSafetensors", dependencies: ["Safetensors"]),
    .executableTarget(name: "FuzzConfig", dependencies: ["Transformer", "JSON", "HuggingFace"]),
    .executableTarget(name: "FuzzTokenizer", dependencies: ["Tokenization"]),
    .executableTarget(name: "FuzzTokenizerJSON", dependencies: ["Tokenization"]),
    .executableTarget(name: "FuzzPreTokenizer", dependencies: ["Tokenization"]),
    .executableTarget(name: "FuzzKeys", dependencies: ["Terminal", "CNcurses"]),
    .executableTarget(name: "FuzzImage", dependencies: ["Imaging"]),
    .executableTarget(name: "FuzzGGUF", dependencies: ["GGUF"]),
    .executableTarget(name: "FuzzKeyScript", dependencies: ["AppCore"]),
    .executableTarget(name: "FuzzAblation", dependencies: ["Trace"]),

    // Helpers the numerical test targets share (expectClose).
    .target(name: "TestSupport", dependencies: ["Render"], path: "Tests/Support"),
    .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
    .testTarget(name: "JSONTests", dependencies: ["JSON"]),
    .testTarget(
      name: "GGUFTests", dependencies: ["GGUF", "Tensors", "CQuantKernels"], exclude: ["Fixtures"]),
    .testTarget(name: "SafetensorsTests", dependencies: ["Safetensors", "TestSupport"]),
    .testTarget(name: "TraceTests", dependencies: ["Trace"]),
    .testTarget(
      name: "TransformerTests",
      dependencies: ["Transformer", "Tensors", "Safetensors", "Trace", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "TrainingTests",
      dependencies: ["Training", "Transformer", "Tensors", "Safetensors", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "TasksTests", dependencies: ["Tasks"]),
    .testTarget(
      name: "ImagingTests", dependencies: ["Imaging", "Tasks", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "TaskTrainingTests", dependencies: ["TaskTraining", "Transformer", "Workbench"]),
    .testTarget(name: "TokenizationTests", dependencies: ["Tokenization"], exclude: ["Fixtures"]),
    .testTarget(name: "DecodingTests", dependencies: ["Decoding", "Tensors", "Tokenization", "Workbench"]),
    .testTarget(
      name: "HuggingFaceTests",
      dependencies: [
        "HuggingFace", "Workbench", "Transformer", "Safetensors", "Trace", "Decoding", "Imaging", "GGUF",
        "JSON",
        "TestSupport",
      ],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "WorkbenchTests", dependencies: ["Workbench", "Trace", "Imaging", "Decoding", "Transformer"]),
    .testTarget(
      name: "ViewerHostTests",
      dependencies: [
        "ViewerHost", "AppCore", "Workbench", "Decoding", "Trace", "Transformer", "Imaging", "Render",
      ]),
    .testTarget(name: "RenderTests", dependencies: ["Render", "TestSupport"], exclude: ["Golden"]),
    .testTarget(
      name: "AppCoreTests", dependencies: ["AppCore", "Render", "Trace", "TestSupport"], exclude: ["Golden"]),
    .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Render", "CNcurses"]),
    .testTarget(name: "EndToEndTests", dependencies: [], exclude: ["Golden"]),
  ]
)
