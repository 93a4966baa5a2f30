import SystemCalls
import SystemPackage

/// Sequential, buffered reads from one regular file, for ``RawFrameSequence``.
///
/// Small reads (PGM headers, byte by byte) come from a 64 KiB buffer; frame-sized reads go straight into the
/// frame's own array, so a frame is copied once. Errors name the file.
final class FileByteReader {
    let path: String
    private var descriptor: FileDescriptor?
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0

    init(path: String) throws(FrameSourceError) {
        let descriptor: FileDescriptor
        do {
            descriptor = try Files.open(path, .readOnly, options: .closeOnExec)
        } catch {
            throw FrameSourceError(.unreadableInput, "\(path): cannot open: \(error.reasonText)")
        }
        guard (try? Files.status(descriptor, path).type) == .regular else {
            SystemCall.close(descriptor)
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
    var isClosed: Bool { descriptor == nil }

    /// Closes the file; later reads see end of file. Idempotent.
    func close() {
        if let descriptor {
            SystemCall.close(descriptor)
            self.descriptor = nil
        }
    }

    /// Seeks back to the first byte (for looping).
    func rewind() throws(FrameSourceError) {
        guard let descriptor else {
            throw FrameSourceError(.ioFailure, "\(path): cannot seek: the file is closed")
        }
        do {
            try Files.rewind(descriptor, path)
        } catch {
            throw FrameSourceError(.ioFailure, "\(path): cannot seek to the start: \(error.reasonText)")
        }
        start = 0
        end = 0
    }

    /// The next byte, or nil at end of file.
    func readByte() throws(FrameSourceError) -> UInt8? {
        if start == end {
            let got = try withMutableBytes(of: &buffer) { (bytes) throws(FrameSourceError) -> Int in try readSome(into: bytes) }
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
        let filled = try withMutableBytes(of: &result) { (destination) throws(FrameSourceError) -> Int in
            let buffered = min(end - start, count)
            if buffered > 0 {
                buffer.withUnsafeBytes { source in
                    destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + buffered)]))
                }
                start += buffered
            }
            var filled = buffered
            while filled < count {
                let got = try readSome(into: UnsafeMutableRawBufferPointer(rebasing: destination[filled...]))
                if got == 0 { break }
                filled += got
            }
            return filled
        }
        if filled < count {
            result.removeLast(count - filled)
        }
        return result
    }

    /// Bytes read; 0 at end of file or once closed.
    private func readSome(into destination: UnsafeMutableRawBufferPointer) throws(FrameSourceError) -> Int {
        guard let descriptor, destination.count > 0 else { return 0 }
        do {
            return try Files.read(descriptor, path, into: destination)
        } catch {
            throw FrameSourceError(.ioFailure, "\(path): read failed: \(error.reasonText)")
        }
    }
}
