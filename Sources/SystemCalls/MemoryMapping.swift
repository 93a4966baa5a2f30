#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// mmap(2) of a file region read-only, with madvise and munmap.
public enum MemoryMapping {
    /// The system's page size; mmap offsets must be a multiple of it.
    public static func pageSize() throws(SystemCallError) -> Int {
        try SystemCall.retrying("sysconf", "_SC_PAGESIZE") { sysconf(Int32(_SC_PAGESIZE)) }
    }

    /// A shared read-only mapping of `length` bytes at the page-aligned `offset`.
    public static func mapReadOnly(_ descriptor: Int32, length: Int, offset: Int, _ subject: String) throws(SystemCallError) -> UnsafeMutableRawPointer {
        guard let mapping = mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, off_t(offset)),
              mapping != UnsafeMutableRawPointer(bitPattern: -1)  // MAP_FAILED
        else {
            throw SystemCallError("mmap", subject, errno: .init(rawValue: SystemCall.currentErrno()))
        }
        return mapping
    }

    /// How the pages of a mapping will be used.
    public enum Advice: Sendable {
        case sequential, random, dontNeed

        var value: Int32 {
            switch self {
            case .sequential: MADV_SEQUENTIAL
            case .random: MADV_RANDOM
            case .dontNeed: MADV_DONTNEED
            }
        }

        /// The C name, for messages.
        public var name: String {
            switch self {
            case .sequential: "MADV_SEQUENTIAL"
            case .random: "MADV_RANDOM"
            case .dontNeed: "MADV_DONTNEED"
            }
        }
    }

    /// madvise(2); the error's subject is the advice's C name.
    public static func advise(_ mapping: UnsafeMutableRawPointer, length: Int, _ advice: Advice) throws(SystemCallError) {
        try SystemCall.retrying("madvise", advice.name) { madvise(mapping, length, advice.value) }
    }

    /// munmap(2). It fails only on a bad address, so there is nothing to report.
    public static func unmap(_ mapping: UnsafeMutableRawPointer, length: Int) {
        _ = munmap(mapping, length)
    }
}
