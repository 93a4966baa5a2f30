#if canImport(Glibc)
import Glibc

private func systemClose(_ descriptor: Int32) -> Int32 { Glibc.close(descriptor) }
private func systemRead(_ descriptor: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
    Glibc.read(descriptor, base, count)
}
#elseif canImport(Darwin)
import Darwin

private func systemClose(_ descriptor: Int32) -> Int32 { Darwin.close(descriptor) }
private func systemRead(_ descriptor: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
    Darwin.read(descriptor, base, count)
}
#endif

/// Sequential, buffered reads from one regular file, for ``RawFrameSequence``.
///
/// Small reads (PGM headers, byte by byte) come from a 64 KiB buffer; frame-sized reads go straight into the
/// frame's own array, so a frame is copied once. Errors name the file.
final class FileByteReader {
    let path: String
    private var descriptor: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0

    init(path: String) throws(FrameSourceError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw FrameSourceError(.unreadableInput, "\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            _ = systemClose(descriptor)
            throw FrameSourceError(.unreadableInput, "\(path): not a regular file")
        }
        self.path = path
        self.descriptor = descriptor
        buffer = [UInt8](repeating: 0, count: 64 * 1024)
    }

    deinit {
        close()
    }

    /// Whether ``close()`` has been called.
    var isClosed: Bool { descriptor < 0 }

    /// Closes the file; later reads see end of file. Idempotent.
    func close() {
        if descriptor >= 0 {
            _ = systemClose(descriptor)
            descriptor = -1
        }
    }

    /// Seeks back to the first byte (for looping).
    func rewind() throws(FrameSourceError) {
        guard descriptor >= 0 else {
            throw FrameSourceError(.ioFailure, "\(path): cannot seek: the file is closed")
        }
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw FrameSourceError(.ioFailure, "\(path): cannot seek to the start: \(String(cString: strerror(errno)))")
        }
        start = 0
        end = 0
    }

    /// The next byte, or nil at end of file.
    func readByte() throws(FrameSourceError) -> UInt8? {
        if start == end {
            let got = buffer.withUnsafeMutableBytes { readSome(into: $0) }
            guard got >= 0 else { throw readFailure(errno: -got) }
            start = 0
            end = got
            if end == 0 { return nil }
        }
        defer { start += 1 }
        return buffer[start]
    }

    /// Up to `count` bytes; fewer only at end of file.
    func read(count: Int) throws(FrameSourceError) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        let filled = result.withUnsafeMutableBytes { destination -> Int in
            let buffered = min(end - start, count)
            if buffered > 0 {
                buffer.withUnsafeBytes { source in
                    destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + buffered)]))
                }
                start += buffered
            }
            var filled = buffered
            while filled < count {
                let got = readSome(into: UnsafeMutableRawBufferPointer(rebasing: destination[filled...]))
                if got < 0 { return got }
                if got == 0 { break }
                filled += got
            }
            return filled
        }
        guard filled >= 0 else { throw readFailure(errno: -filled) }
        if filled < count {
            result.removeLast(count - filled)
        }
        return result
    }

    /// Bytes read (0 at end of file), or minus errno. Retries EINTR. Never throws, so it can run inside
    /// the (untyped-rethrowing) buffer closures.
    private func readSome(into destination: UnsafeMutableRawBufferPointer) -> Int {
        guard descriptor >= 0, let base = destination.baseAddress, destination.count > 0 else { return 0 }
        while true {
            let got = systemRead(descriptor, base, destination.count)
            if got >= 0 { return got }
            if errno != EINTR { return -Int(errno) }
        }
    }

    private func readFailure(errno code: Int) -> FrameSourceError {
        FrameSourceError(.ioFailure, "\(path): read failed: \(String(cString: strerror(Int32(code))))")
    }
}
