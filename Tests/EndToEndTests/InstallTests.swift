// `make install` into a temporary PREFIX and the installed tool used from there: the binary on its
// own finds the samples beside it (PREFIX/share/attnscope), the bash completions load and complete,
// the man page renders with `man -l`, `make uninstall` removes it all; an unwritable PREFIX is one
// line; `--version` names the commit, and the stamp falls back to "unknown commit" without git.
// The release build itself is what `make install` adds on top (install-files with the debug binary
// here, so the test does not wait for an optimised build).
import Foundation
import Testing

@Suite(.serialized) struct InstallTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()

  static func temporaryDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "attnscope-\(name)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.resolvingSymlinksInPath()
  }

  func make(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
    try runProgram("/usr/bin/make", ["--no-print-directory", "-C", Self.repository.path] + arguments)
  }

  @Test func installsRunsFromThePrefixAndUninstalls() throws {
    let root = try Self.temporaryDirectory("prefix")
    defer { try? FileManager.default.removeItem(at: root) }
    let prefix = root.appendingPathComponent("usr").path
    let install = try make(["install-files", "BIN=\(TmuxSession.binaryPath())", "PREFIX=\(prefix)"])
    #expect(install.status == 0, "\(install.errors)")
    #expect(install.output.contains("installed \(prefix)/bin/attnscope"))
    let installed = [
      "bin/attnscope", "share/attnscope/models/en-it/config.json", "share/attnscope/images/circle.png",
      "share/man/man1/attnscope.1", "share/bash-completion/completions/attnscope",
      "share/zsh/site-functions/_attnscope",
      "share/fish/vendor_completions.d/attnscope.fish",
    ]
    for file in installed { #expect(FileManager.default.fileExists(atPath: "\(prefix)/\(file)"), "\(file)") }
    let binary = "\(prefix)/bin/attnscope"

    // A sample only the installed share folder has, opened from a directory with no samples/, with
    // the binary found through PATH (argv[0] is then only "attnscope").
    try FileManager.default.copyItem(
      atPath: "\(prefix)/share/attnscope/models/reverse",
      toPath: "\(prefix)/share/attnscope/models/installed-only")
    let elsewhere = try Self.temporaryDirectory("cwd")
    defer { try? FileManager.default.removeItem(at: elsewhere) }
    let path = "\(prefix)/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    let traced = try runProgram(
      "/bin/sh", ["-c", "attnscope attention --model installed-only --text abc --format csv | head -1"],
      in: elsewhere,
      environment: ["PATH": path])
    #expect(traced.status == 0 && traced.output.hasPrefix("stack,kind,layer,head"), "\(traced.errors)")
    // ATTNSCOPE_SAMPLES comes first.
    try FileManager.default.createDirectory(
      atPath: elsewhere.path + "/mine", withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: "\(prefix)/share/attnscope/models/reverse", toPath: elsewhere.path + "/mine/override")
    let overridden = try runProgram(
      binary, ["attention", "--model", "override", "--text", "ab", "--format", "csv"], in: elsewhere,
      environment: ["ATTNSCOPE_SAMPLES": elsewhere.path + "/mine"])
    #expect(overridden.status == 0, "\(overridden.errors)")

    // The TUI from the installed binary, in tmux.
    if TmuxSession.isAvailable {
      let tmux = TmuxSession()
      defer { tmux.kill() }
      try tmux.start(
        command: ["sh", "-c", "cd \(elsewhere.path) && exec \(binary) --model installed-only"], width: 100,
        height: 30)
      let screen = try tmux.waitFor("layer 1")
      #expect(screen.contains("installed-only"))
      try tmux.sendKeys("q")
      #expect(try tmux.waitForExit() == 0)
    }

    // bash: the completion script loads and completes subcommands and options.
    let bash = try runProgram(
      "/bin/bash",
      [
        "-c",
        """
        source \(prefix)/share/bash-completion/completions/attnscope || exit 3
        complete -p attnscope || exit 4
        COMP_WORDS=(attnscope de); COMP_CWORD=1; COMP_LINE="attnscope de"; COMP_POINT=${#COMP_LINE}
        $(complete -p attnscope | sed -E 's/.*-F ([^ ]+).*/\\1/') attnscope de attnscope
        echo "words: ${COMPREPLY[*]}"
        """,
      ], environment: ["PATH": path])
    #expect(bash.status == 0, "\(bash.errors)")
    #expect(bash.output.contains("-F _attnscope attnscope"), "\(bash.output)")
    #expect(bash.output.contains("words: decode"), "\(bash.output)")

    // The man page renders (and groff has nothing to warn about).
    let man = try runProgram(
      "/usr/bin/man", ["-l", "\(prefix)/share/man/man1/attnscope.1"],
      environment: ["MANPAGER": "cat", "MANWIDTH": "80"])
    #expect(man.status == 0, "\(man.errors)")
    #expect(man.output.contains("attnscope - look inside a Transformer's attention from the terminal"))
    #expect(man.output.contains("--snapshot") && man.output.contains("ATTNSCOPE_SAMPLES"))
    let warnings = try runProgram(
      "/usr/bin/groff", ["-man", "-ww", "-z", "\(prefix)/share/man/man1/attnscope.1"])
    #expect(warnings.status == 0 && warnings.errors.isEmpty, "\(warnings.errors)")

    let uninstall = try make(["uninstall", "PREFIX=\(prefix)"])
    #expect(uninstall.status == 0, "\(uninstall.errors)")
    for file in installed {
      #expect(!FileManager.default.fileExists(atPath: "\(prefix)/\(file)"), "\(file) left behind")
    }
    #expect(!FileManager.default.fileExists(atPath: "\(prefix)/share/attnscope"))
  }

  /// A PREFIX that cannot be written (even by root: below a regular file, or in /proc) is one line
  /// from make, before any build starts.
  @Test(arguments: ["/proc/attnscope-install-test", "FILE/below-a-file"])
  func unwritablePrefixIsOneLine(_ prefix: String) throws {
    let root = try Self.temporaryDirectory("ro")
    defer { try? FileManager.default.removeItem(at: root) }
    try "x".write(to: root.appendingPathComponent("FILE"), atomically: true, encoding: .utf8)
    let target = prefix.replacingOccurrences(of: "FILE", with: root.appendingPathComponent("FILE").path)
    let run = try make(["install", "PREFIX=\(target)"])
    #expect(run.status != 0)
    let lines = run.errors.split(separator: "\n")
    #expect(lines.count == 1, "\(run.errors)")
    #expect(run.errors.contains("make install: cannot write to \(target)/bin"), "\(run.errors)")
    #expect(run.errors.contains("PREFIX=$HOME/.local"), "\(run.errors)")
    #expect(!run.output.contains("swift build"), "the build did not start")
  }

  /// `--version`: the version, and the commit the Makefile stamped or "unknown commit".
  @Test func versionNamesTheCommit() throws {
    let run = try runBinary(["--version"])
    #expect(run.status == 0)
    let pattern = #"^attnscope 0\.1\.0 \((commit [0-9a-f]{12}(-dirty)?|unknown commit)\)\n$"#
    #expect(run.output.range(of: pattern, options: .regularExpression) != nil, "\(run.output)")
  }

  /// The stamp outside the Makefile: in a git checkout the script writes the commit; in a copy
  /// without .git (a tarball) it removes the header and the C file compiles to "unknown commit".
  @Test func stampFollowsGitAndFallsBack() throws {
    let root = try Self.temporaryDirectory("stamp")
    defer { try? FileManager.default.removeItem(at: root) }
    let stampDirectory = root.appendingPathComponent("Sources/CBuildStamp")
    try FileManager.default.createDirectory(
      at: stampDirectory.appendingPathComponent("include"), withIntermediateDirectories: true)
    for file in ["stamp.c", "include/attn_build_stamp.h"] {
      try FileManager.default.copyItem(
        at: Self.repository.appendingPathComponent("Sources/CBuildStamp/\(file)"),
        to: stampDirectory.appendingPathComponent(file))
    }
    try FileManager.default.copyItem(
      at: Self.repository.appendingPathComponent("scripts/write-build-stamp.sh"),
      to: root.appendingPathComponent("stamp.sh"))
    try
      "#include <stdio.h>\n#include \"attn_build_stamp.h\"\nint main(void) { puts(attn_build_commit()); return 0; }\n"
      .write(to: root.appendingPathComponent("main.c"), atomically: true, encoding: .utf8)
    func built() throws -> String {
      let cc = try runProgram(
        "/usr/bin/cc",
        ["-I", stampDirectory.path + "/include", "Sources/CBuildStamp/stamp.c", "main.c", "-o", "stamp"],
        in: root)
      #expect(cc.status == 0, "\(cc.errors)")
      return try runProgram(root.path + "/stamp", []).output.trimmingCharacters(in: .newlines)
    }
    #expect(try runProgram("/bin/sh", ["stamp.sh"], in: root).status == 0)
    #expect(try built() == "unknown commit")
    let git = ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    #expect(try runProgram("/usr/bin/git", ["init", "-q"], in: root).status == 0)
    #expect(try runProgram("/usr/bin/git", ["add", "-A"], in: root).status == 0)
    #expect(try runProgram("/usr/bin/git", git + ["commit", "-qm", "x"], in: root).status == 0)
    let head = try runProgram("/usr/bin/git", ["rev-parse", "--short=12", "HEAD"], in: root).output
      .trimmingCharacters(in: .newlines)
    #expect(try runProgram("/bin/sh", ["stamp.sh"], in: root).status == 0)
    #expect(try built() == head)
    try "change".write(to: root.appendingPathComponent("main.c"), atomically: true, encoding: .utf8)
    #expect(try runProgram("/bin/sh", ["stamp.sh"], in: root).status == 0)
    let header = try String(
      contentsOf: stampDirectory.appendingPathComponent("commit.generated.h"), encoding: .utf8)
    #expect(header.contains("\(head)-dirty"))
    try FileManager.default.removeItem(at: root.appendingPathComponent(".git"))
    #expect(try runProgram("/bin/sh", ["stamp.sh"], in: root).status == 0)
    #expect(
      !FileManager.default.fileExists(
        atPath: stampDirectory.appendingPathComponent("commit.generated.h").path))
  }
}
