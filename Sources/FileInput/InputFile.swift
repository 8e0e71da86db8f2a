// Reading files other people made: every loader (config.json, generation_config.json,
// preprocessor_config.json, tokenizer and vocabulary files, safetensors, images) opens through here.
// Only regular files are read — a FIFO, a device, a socket or a directory is refused without
// blocking (opened with O_NONBLOCK, checked with fstat, then O_NONBLOCK cleared) — and never more
// than the caller's limit for its format: the size from fstat is checked before anything is read,
// and reads stop at the size fstat gave, so a file that grows meanwhile cannot make us read more.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a file could not be read. `description` is the reason only; callers put their file name and
/// error type around it.
public struct InputFileError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    /// No such file (ENOENT, or a path component that is not a directory).
    case missing
    /// A directory, FIFO, device or socket: the kind, e.g. "a FIFO".
    case notRegular(String)
    /// Bigger than the limit for its format.
    case tooLarge(size: Int, limit: Int)
    /// The file got shorter between fstat and read.
    case shrank
    /// Any other system error, as strerror says it.
    case system(String)
  }

  public let path: String
  public let reason: Reason

  public init(path: String, reason: Reason) {
    self.path = path
    self.reason = reason
  }

  public var isMissing: Bool { reason == .missing }

  /// `: <reason>` to follow "cannot read <path>", empty for a missing file (whose message is
  /// complete without it).
  public var suffix: String { isMissing ? "" : ": \(description)" }

  public var description: String {
    switch reason {
    case .missing: String(cString: strerror(ENOENT))
    case .notRegular(let kind): "is \(kind), not a regular file"
    case .tooLarge(let size, let limit):
      "is \(InputFile.formatSize(size)); files of this kind are limited to \(InputFile.formatSize(limit))"
    case .shrank: "the file got shorter while it was read"
    case .system(let text): text
    }
  }
}

/// An open regular file of known size, read with pread (so one value can be shared between threads).
public final class InputFile: @unchecked Sendable {
  /// Size limits by format, in bytes: generous for real files, far below what would exhaust memory.
  public enum Limit {
    /// config.json, generation_config.json, preprocessor_config.json, model.safetensors.index.json,
    /// tokenizer_config.json (ImageNet-21k's id2label is about 1 MB).
    public static let jsonConfig = 64 << 20
    /// tokenizer.json, vocab.txt, vocab.json, merges.txt, SentencePiece models (the largest
    /// multilingual tokenizer.json files are a few tens of MB).
    public static let tokenizer = 256 << 20
    /// No limit of its own: the format's header says what may follow (safetensors).
    public static let unlimited = Int.max
  }

  public let path: String
  /// The size fstat reported when the file was opened.
  public let size: Int
  private let descriptor: Int32

  private init(path: String, size: Int, descriptor: Int32) {
    self.path = path
    self.size = size
    self.descriptor = descriptor
  }

  deinit { close(descriptor) }

  /// Opens `path` if it is a regular file of at most `limit` bytes.
  public static func open(_ path: String, limit: Int) throws(InputFileError) -> InputFile {
    func failure(_ reason: InputFileError.Reason) -> InputFileError {
      InputFileError(path: path, reason: reason)
    }
    // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever.
    let fd = posixOpen(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw failure(systemReason(errno)) }
    var status = stat()
    guard fstat(fd, &status) == 0 else {
      let code = errno
      close(fd)
      throw failure(systemReason(code))
    }
    let kind = status.st_mode & S_IFMT
    guard kind == S_IFREG else {
      close(fd)
      throw failure(.notRegular(kindName(kind)))
    }
    let flags = fcntl(fd, F_GETFL)
    if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
    let size = Int(status.st_size)
    guard size <= limit else {
      close(fd)
      throw failure(.tooLarge(size: size, limit: limit))
    }
    return InputFile(path: path, size: size, descriptor: fd)
  }

  /// The whole of a regular file of at most `limit` bytes.
  public static func read(_ path: String, limit: Int) throws(InputFileError) -> [UInt8] {
    let file = try open(path, limit: limit)
    return try file.read(at: 0, count: file.size)
  }

  /// Exactly `count` bytes from `offset` (which must lie inside `size`).
  public func read(at offset: Int, count: Int) throws(InputFileError) -> [UInt8] {
    precondition(offset >= 0 && count >= 0 && count <= size && offset <= size - count)
    // An empty result must not go through unsafeUninitializedCapacity: with a count of 0 it writes
    // into the shared empty-array storage, a data race between threads.
    guard count > 0 else { return [] }
    var failure: InputFileError?
    let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      do throws(InputFileError) { try read(at: offset, into: UnsafeMutableRawBufferPointer(buffer)) } catch {
        failure = error
      }
      initialized = count
    }
    if let failure { throw failure }
    return bytes
  }

  /// Fills `buffer` with the bytes at `offset` (pread, straight into the caller's memory: a large
  /// tensor is not read into a byte array first). The buffer is always fully written (zeros past a
  /// failure), so a typed array built on it is initialised even when this throws.
  public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(InputFileError) {
    let count = buffer.count
    precondition(offset >= 0 && count <= size && offset <= size - count)
    guard count > 0, let base = buffer.baseAddress else { return }
    var failureCode: Int32 = 0
    var shrank = false
    var done = 0
    while done < count {
      let n = pread(descriptor, base + done, count - done, off_t(offset + done))
      if n < 0 {
        if errno == EINTR { continue }
        failureCode = errno
        break
      }
      if n == 0 {
        shrank = true
        break
      }
      done += n
    }
    if done < count { (base + done).initializeMemory(as: UInt8.self, repeating: 0, count: count - done) }
    if failureCode != 0 { throw InputFileError(path: path, reason: InputFile.systemReason(failureCode)) }
    if shrank { throw InputFileError(path: path, reason: .shrank) }
  }

  /// The whole file mapped read-only (MAP_PRIVATE), for a format read in place (GGUF): the mapping
  /// outlives this InputFile, and the caller unmaps `size` bytes. nil for an empty file.
  public func mapReadOnly() throws(InputFileError) -> UnsafeRawPointer? {
    guard size > 0 else { return nil }
    guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0),
      address != UnsafeMutableRawPointer(bitPattern: -1)
    else { throw InputFileError(path: path, reason: InputFile.systemReason(errno)) }
    return UnsafeRawPointer(address)
  }

  static func systemReason(_ code: Int32) -> InputFileError.Reason {
    code == ENOENT || code == ENOTDIR ? .missing : .system(String(cString: strerror(code)))
  }

  static func kindName(_ kind: mode_t) -> String {
    switch kind {
    case S_IFDIR: "a directory"
    case S_IFIFO: "a FIFO (named pipe)"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    default: "not a regular file"
    }
  }

  /// `12 bytes`, `3.5 MB`, `2.0 GB` (powers of 1024).
  public static func formatSize(_ bytes: Int) -> String {
    if bytes < 1024 { return "\(bytes) bytes" }
    let units = ["KB", "MB", "GB", "TB", "PB", "EB"]
    var value = Double(bytes) / 1024
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[unit])" : "\(rounded) \(units[unit])"
  }
}

/// open(2), named apart from `InputFile.open`, which would otherwise shadow it.
private func posixOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
