import SystemCalls
import SystemPackage

/// One line of a text input: a payload, or a line too long to be one.
public enum PayloadLine: Sendable, Hashable {
    case payload([UInt8])
    /// The line exceeded the limit; its bytes were discarded as they were read, never buffered.
    case tooLong(byteCount: Int)
}

/// Reads payloads one per line from a file descriptor (a text file or standard input).
///
/// Memory stays bounded by `maximumLineLength` whatever the input: a 100 MB line is counted and
/// dropped as it streams past. A trailing `\r` is removed; empty lines are skipped.
public struct PayloadLineReader {
    /// Comfortably above the largest QR payload (4,296 alphanumeric characters).
    public static let defaultMaximumLineLength = 16 * 1024
    private static let chunkSize = 64 * 1024

    private let fileDescriptor: Int32
    private let maximumLineLength: Int
    private var buffer: [UInt8] = []
    private var chunk: [UInt8]
    private var chunkStart = 0
    private var chunkEnd = 0
    private var atEnd = false

    public init(fileDescriptor: Int32, maximumLineLength: Int = defaultMaximumLineLength) {
        self.fileDescriptor = fileDescriptor
        self.maximumLineLength = maximumLineLength
        self.chunk = [UInt8](repeating: 0, count: Self.chunkSize)
    }

    /// The next non-empty line, or nil at end of input.
    public mutating func next() throws(CodeScanningError) -> PayloadLine? {
        while true {
            guard let line = try nextRawLine() else { return nil }
            if case .payload(let bytes) = line, bytes.isEmpty { continue }
            return line
        }
    }

    private mutating func nextRawLine() throws(CodeScanningError) -> PayloadLine? {
        buffer.removeAll(keepingCapacity: true)
        var length = 0
        var sawAnything = false
        while true {
            if chunkStart == chunkEnd {
                if atEnd { break }
                try refill()
                continue
            }
            sawAnything = true
            let window = chunk[chunkStart..<chunkEnd]
            let newline = window.firstIndex(of: 0x0A)
            let piece = window[chunkStart..<(newline ?? chunkEnd)]
            length += piece.count
            if length <= maximumLineLength { buffer += piece }
            chunkStart = newline.map { $0 + 1 } ?? chunkEnd
            if newline != nil { return finish(length) }
        }
        return sawAnything ? finish(length) : nil
    }

    private func finish(_ length: Int) -> PayloadLine {
        guard length <= maximumLineLength else { return .tooLong(byteCount: length) }
        return .payload(buffer.last == 0x0D ? Array(buffer.dropLast()) : buffer)
    }

    private mutating func refill() throws(CodeScanningError) {
        let descriptor = FileDescriptor(rawValue: fileDescriptor)
        let got: Int
        do {
            got = try withMutableBytes(of: &chunk) { (buffer) throws(SystemCallError) -> Int in
                try Files.read(descriptor, "input", into: buffer)
            }
        } catch {
            throw .unreadableFile("read failed: \(error.reasonText)")
        }
        chunkStart = 0
        chunkEnd = got
        atEnd = got == 0
    }
}
