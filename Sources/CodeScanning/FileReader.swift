#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a whole regular file with a hard size cap, using plain POSIX calls (no Foundation).
enum FileReader {
    /// Returns the file's bytes.
    ///
    /// Refuses anything that is not a regular file (a FIFO or `/dev/zero` would block or never end) and
    /// checks the size both from `fstat` and while reading, since the file may grow in between.
    static func contents(ofFile path: String, maximumSize: Int) throws(CodeScanningError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw .unreadableFile("\(path): cannot open: \(errorText(errno))")
        }
        defer { close(fd) }

        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .unreadableFile("\(path): cannot stat: \(errorText(errno))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadableFile("\(path): not a regular file")
        }
        let declaredSize = Int(info.st_size)
        guard declaredSize <= maximumSize else {
            throw .fileTooLarge("\(path): \(declaredSize) bytes exceeds the limit of \(maximumSize)")
        }

        // One spare byte detects growth past the limit without reading the whole excess.
        let capacity = maximumSize + 1
        var bytes = [UInt8](repeating: 0, count: min(declaredSize, maximumSize) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                guard bytes.count < capacity else { break }
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, capacity - bytes.count)))
            }
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + count, buffer.count - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile("\(path): read failed: \(errorText(errno))")
            }
            if got == 0 { break }
            count += got
        }
        guard count <= maximumSize else {
            throw .fileTooLarge("\(path): grew beyond the limit of \(maximumSize) bytes while being read")
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    private static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
