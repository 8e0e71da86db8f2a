// The bytes of a GGUF file at a fixed address for as long as any value made from the file lives:
// either a private copy on the heap (files given as bytes: tests, the fuzzer) or a read-only
// memory map of the file, so a 0.4–1 GB model is paged in on demand, never copied into the heap.
//
// The map is opened by the rules of FileInput's `InputFile` (regular files only, opened without
// blocking, the size from fstat), repeated here because `InputFile` keeps its descriptor private.
// A mapped file that another process truncates afterwards makes reads past its new end fault
// (SIGBUS), as with llama.cpp's mmap; `GGUFFile.load(path:memoryMap: false)` reads it instead.
import FileInput

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

final class GGUFBytes: @unchecked Sendable {
  // Immutable after init; the bytes themselves are never written, so sharing between threads is safe.
  let base: UnsafeRawPointer
  let count: Int
  let isMapped: Bool
  private let mappedLength: Int

  var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  /// A heap copy of `bytes` (64-byte aligned, like a mapping's page alignment for the kernels).
  init(copying bytes: [UInt8]) {
    let storage = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 64)
    bytes.withUnsafeBytes { raw in
      if let source = raw.baseAddress { storage.copyMemory(from: source, byteCount: raw.count) }
    }
    base = UnsafeRawPointer(storage)
    count = bytes.count
    isMapped = false
    mappedLength = 0
  }

  private init(mapped: UnsafeRawPointer, count: Int) {
    base = mapped
    self.count = count
    isMapped = true
    mappedLength = count
  }

  deinit {
    if isMapped {
      munmap(UnsafeMutableRawPointer(mutating: base), mappedLength)
    } else {
      UnsafeMutableRawPointer(mutating: base).deallocate()
    }
  }

  /// Maps the regular file at `path` read-only (an empty file becomes an empty heap buffer).
  static func map(path: String, limit: Int) throws(InputFileError) -> GGUFBytes {
    func failure(_ reason: InputFileError.Reason) -> InputFileError {
      InputFileError(path: path, reason: reason)
    }
    let fd = ggufOpen(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw failure(reason(errno)) }
    defer { close(fd) }  // the mapping outlives the descriptor
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw failure(reason(errno)) }
    guard status.st_mode & S_IFMT == S_IFREG else {
      throw failure(.notRegular(kindName(status.st_mode & S_IFMT)))
    }
    let size = Int(status.st_size)
    guard size <= limit else { throw failure(.tooLarge(size: size, limit: limit)) }
    guard size > 0 else { return GGUFBytes(copying: []) }
    guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
      address != UnsafeMutableRawPointer(bitPattern: -1)
    else { throw failure(reason(errno)) }
    return GGUFBytes(mapped: UnsafeRawPointer(address), count: size)
  }

  private static func reason(_ code: Int32) -> InputFileError.Reason {
    code == ENOENT || code == ENOTDIR ? .missing : .system(String(cString: strerror(code)))
  }

  private static func kindName(_ kind: mode_t) -> String {
    switch kind {
    case S_IFDIR: "a directory"
    case S_IFIFO: "a FIFO (named pipe)"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    default: "not a regular file"
    }
  }
}

/// open(2), named apart so no method called `open` can shadow it.
private func ggufOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
