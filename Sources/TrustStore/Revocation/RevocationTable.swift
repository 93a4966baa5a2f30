import SystemCalls
import SystemPackage

/// A read-only, sorted table of 16-byte revocation hashes (EU DCC style: truncated SHA-256 of the
/// UCI, of country code + UCI, or of the signature).
///
/// Tables reach ten million entries (160 MB), so the daemon maps the file instead of reading it:
/// the heap does not grow with the list, and pages are only brought in where a lookup lands.
/// Those pages are clean file pages that show up as `RssFile` and that the kernel may drop at any
/// time; `releaseResidentPages()` drops them from this process explicitly.
///
/// Immutable after `init` (hence `@unchecked Sendable`): lookups only read, from any thread.
/// The mapped file must not be truncated or rewritten in place while mapped (reading a page past
/// a shrunken end raises SIGBUS); the trust store installs new files and swaps a symlink instead.
public final class RevocationTable: @unchecked Sendable {
    /// Size of one entry in bytes.
    public static let entrySize = RevocationSearch.entrySize

    /// Number of entries.
    public let count: Int

    /// First entry, or nil for an empty table.
    private let entries: UnsafeRawPointer?
    private let storage: Storage
    /// The first key of every block of `blockSize` entries, in memory (40 KB for ten million
    /// entries), so that a lookup in a mapped table touches a single 64 KB block of the file.
    private let blockIndex: [(UInt64, UInt64)]
    private let pageSize: Int

    /// Entries per block: 64 KB, the kernel's fault-around window, so one lookup faults in one window.
    public static let blockSize = 4096
    /// How much one fault may map: the page cache holds large folios (up to 2 MB on ext4 since
    /// Linux 6.x) and a fault maps the whole folio, well beyond the 64 KB fault-around window.
    static let faultAroundBytes = 2 * 1024 * 1024

    private enum Storage {
        case empty
        /// The whole mapping, which starts at a page boundary at or before the first entry.
        case mapped(UnsafeMutableRawPointer, length: Int)
        case heap(UnsafeMutableRawPointer)
    }

    /// Maps `count` entries that start `offset` bytes into the file at `path`.
    ///
    /// The last path component must not be a symlink (`O_NOFOLLOW`); directories above it may be,
    /// like the trust store's `current` link. The file must be a regular file holding the whole
    /// region. Order is checked only when `verifySorted` is true, which reads every page: do it
    /// once when installing a list, not at every start of the daemon.
    public convenience init(mapping path: String, offset: Int, count: Int, verifySorted: Bool = false) throws(RevocationTableError) {
        let descriptor = try Self.openReadOnly(path)
        // The mapping stays valid after close; nothing else needs the descriptor.
        defer { SystemCall.close(descriptor) }
        try self.init(mapping: descriptor, path: path, offset: offset, count: count, verifySorted: verifySorted)
    }

    /// Maps a region of an already open file: the trust store maps the very file it verified,
    /// whatever happens to the path meanwhile. The descriptor stays the caller's.
    public init(mapping descriptor: Int32, path: String, offset: Int, count: Int, verifySorted: Bool = false) throws(RevocationTableError) {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: Self.entrySize)
        guard offset >= 0, count >= 0, !overflow, !offset.addingReportingOverflow(byteCount).overflow else {
            throw RevocationTableError(.outOfRange, "\(path): offset \(offset), count \(count)")
        }

        let status: Stat
        do {
            status = try Files.status(FileDescriptor(rawValue: descriptor), path)
        } catch {
            throw RevocationTableError(.unreadable, "\(path): fstat: \(Self.text(error))")
        }
        guard status.type == .regular else {
            throw RevocationTableError(.notARegularFile, "\(path): mode \(String(status.mode.rawValue, radix: 8))")
        }
        guard Int64(offset) + Int64(byteCount) <= status.size else {
            throw RevocationTableError(
                .outOfRange, "\(path): region \(offset)+\(byteCount) ends past the file's \(status.size) bytes")
        }
        guard count > 0 else {
            // mmap refuses a zero length; an empty list needs no mapping.
            (self.count, entries, storage, blockIndex, pageSize) = (0, nil, .empty, [], 4096)
            return
        }

        let pageSize: Int
        do {
            pageSize = try MemoryMapping.pageSize()
        } catch {
            throw RevocationTableError(.mapFailed, "sysconf(_SC_PAGESIZE): \(Self.text(error))")
        }
        // mmap needs a page-aligned file offset; map from the page start and skip the slack.
        let slack = offset % pageSize
        let length = slack + byteCount
        let mapping: UnsafeMutableRawPointer
        do {
            mapping = try MemoryMapping.mapReadOnly(descriptor, length: length, offset: offset - slack, path)
        } catch {
            throw RevocationTableError(.mapFailed, "\(path): mmap(\(length) bytes): \(Self.text(error))")
        }
        let first = UnsafeRawPointer(mapping + slack)
        do throws(RevocationTableError) {
            if verifySorted {
                // One sequential pass: let the kernel read ahead, then switch to random access.
                try Self.advise(mapping, length, .sequential, path)
                if let index = RevocationSearch.firstDisorder(in: first, count: count) {
                    throw RevocationTableError(.notSorted, "\(path): entry \(index) is not above entry \(index - 1)")
                }
            }
            // Lookups jump around: readahead would only pull in pages nobody asked for.
            try Self.advise(mapping, length, .random, path)
        } catch {
            MemoryMapping.unmap(mapping, length: length)
            throw error
        }
        // Sampling the block keys reads one entry per 64 KB; the pages are dropped again at once.
        let blockIndex = stride(from: 0, to: count, by: Self.blockSize).map { RevocationSearch.entry(first, $0) }
        try? MemoryMapping.advise(mapping, length: length, .dontNeed)
        (self.count, entries, storage, self.blockIndex, self.pageSize) = (count, first, .mapped(mapping, length: length), blockIndex, pageSize)
    }

    /// An in-memory table over `bytes` (a whole number of 16-byte entries), for tests and small
    /// lists. It copies the bytes once and searches them with the same code as a mapped table.
    /// Order is checked by default because the bytes are at hand anyway.
    public init(bytes: [UInt8], verifySorted: Bool = true) throws(RevocationTableError) {
        guard bytes.count % Self.entrySize == 0 else {
            throw RevocationTableError(.badEntryLength, "\(bytes.count) bytes is not a multiple of \(Self.entrySize)")
        }
        let count = bytes.count / Self.entrySize
        guard count > 0 else {
            (self.count, entries, storage, blockIndex, pageSize) = (0, nil, .empty, [], 4096)
            return
        }
        let copy = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 16)
        bytes.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        if verifySorted, let index = RevocationSearch.firstDisorder(in: copy, count: count) {
            copy.deallocate()
            throw RevocationTableError(.notSorted, "entry \(index) is not above entry \(index - 1)")
        }
        (self.count, entries, storage, blockIndex, pageSize) = (count, UnsafeRawPointer(copy), .heap(copy), [], 4096)
    }

    deinit {
        switch storage {
        case .empty: break
        // munmap of a mapping we own fails only on a bad address; there is nothing to do about it here.
        case .mapped(let mapping, let length): MemoryMapping.unmap(mapping, length: length)
        case .heap(let copy): copy.deallocate()
        }
    }

    /// Whether `hash` is in the table. Anything but exactly 16 bytes is never revoked.
    public func contains(_ hash: some Collection<UInt8>) -> Bool {
        var probes = 0
        return contains(hash, probes: &probes)
    }

    /// `contains(_:)` that also adds to `probes` the number of entries compared, for benchmarks
    /// and for checking that interpolation keeps working on real lists.
    public func contains(_ hash: some Collection<UInt8>, probes: inout Int) -> Bool {
        guard let key = RevocationSearch.key(of: hash) else { return false }
        guard case .mapped = storage, let entries, !blockIndex.isEmpty else {
            return RevocationSearch.contains(key, in: entries, count: count, probes: &probes)
        }
        // The block whose first key is the last one not above the target.
        guard key >= blockIndex[0] else { return false }
        var low = 0
        var high = blockIndex.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if blockIndex[middle] <= key { low = middle } else { high = middle - 1 }
        }
        let start = low * Self.blockSize
        let blockCount = min(Self.blockSize, count - start)
        let block = entries + start * Self.entrySize
        let found = RevocationSearch.contains(key, in: block, count: blockCount, probes: &probes)
        // Drop the block's pages again so that, after months of lookups, the table is not resident:
        // the data stays in the page cache and costs one minor fault next time.
        // A fault maps a whole 2 MB-aligned folio around the block: drop whole windows, clipped to
        // the mapping. Measured: resident memory stays at the empty-table figure for ~8 µs a lookup.
        guard case .mapped(let mapping, let length) = storage else { return found }
        let window = max(Self.faultAroundBytes, pageSize)
        let mappingStart = Int(bitPattern: mapping)
        let releaseStart = max(mappingStart, Int(bitPattern: block) / window * window)
        let releaseEnd = min(
            mappingStart + length, (Int(bitPattern: block) + blockCount * Self.entrySize + window - 1) / window * window
        )
        if let start = UnsafeMutableRawPointer(bitPattern: releaseStart) {
            try? MemoryMapping.advise(start, length: releaseEnd - releaseStart, .dontNeed)
        }
        return found
    }

    /// Throws `notSorted` unless the entries are strictly ascending (sorted, no duplicates).
    /// Reads the whole table; meant for install time.
    public func validateSorted() throws(RevocationTableError) {
        if let index = RevocationSearch.firstDisorder(in: entries, count: count) {
            throw RevocationTableError(.notSorted, "entry \(index) is not above entry \(index - 1)")
        }
    }

    /// Drops this process's resident pages of a mapped table (`MADV_DONTNEED`). The file's data
    /// stays in the page cache and the next lookups fault pages back in, so a long-running daemon
    /// can call this periodically to keep `VmRSS` from drifting up to the table's size.
    /// Safe while other threads look up. Does nothing for in-memory tables.
    public func releaseResidentPages() throws(RevocationTableError) {
        guard case .mapped(let mapping, let length) = storage else { return }
        try Self.advise(mapping, length, .dontNeed, "mapping")
    }

    private static func openReadOnly(_ path: String) throws(RevocationTableError) -> Int32 {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; fstat then refuses it.
        do {
            return try Files.open(path, .readOnly, options: [.noFollow, .closeOnExec, .nonBlocking]).rawValue
        } catch {
            throw RevocationTableError(.unreadable, "\(path): open: \(text(error))")
        }
    }

    private static func advise(
        _ mapping: UnsafeMutableRawPointer, _ length: Int, _ advice: MemoryMapping.Advice, _ path: String
    ) throws(RevocationTableError) {
        do {
            try MemoryMapping.advise(mapping, length: length, advice)
        } catch {
            throw RevocationTableError(.mapFailed, "\(path): madvise(\(advice.name)): \(text(error))")
        }
    }

    /// The reason with its errno number, e.g. "No such file or directory (errno 2)".
    private static func text(_ error: SystemCallError) -> String {
        error.errno.map { "\($0.description) (errno \($0.rawValue))" } ?? error.reasonText
    }
}
