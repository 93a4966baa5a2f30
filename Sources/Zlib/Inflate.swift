import CZlib

/// Why inflating failed. Stable codes; `description` is for people.
public enum InflateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input does not start with a zlib (RFC 1950) header.
    case notZlib
    /// The stream is corrupt or ends early.
    case corrupt
    /// The output would exceed the cap: a zlib bomb, or simply too big to be a credential.
    case outputTooLarge(limit: Int)
    /// Bytes follow the end of the zlib stream.
    case trailingData

    public var description: String {
        switch self {
        case .notZlib: "data is not zlib-compressed"
        case .corrupt: "zlib stream is corrupt or truncated"
        case .outputTooLarge(let limit): "decompressed data exceeds \(limit) bytes"
        case .trailingData: "data follows the end of the zlib stream"
        }
    }
}

/// zlib inflation with a hard output cap.
///
/// Output grows in 16 KiB steps and stops at `maximumOutput`, so a bomb costs at most the cap in
/// memory and the time to produce it. ``zlib(_:maximumOutput:)`` accepts only RFC 1950 zlib streams (the DCC
/// spec says the payload SHALL be compressed), refusing raw DEFLATE and gzip; ``raw(_:maximumOutput:)`` is the
/// raw DEFLATE that SMART Health Cards use. Nothing reads gzip.
public enum Inflate {
    private static let chunkSize = 16 * 1024

    public static func zlib(_ input: [UInt8], maximumOutput: Int) throws(InflateError) -> [UInt8] {
        guard input.count >= 2, isZlibHeader(input[0], input[1]) else { throw .notZlib }
        return try inflate(input, windowBits: 15, maximumOutput: maximumOutput)
    }

    /// Raw DEFLATE (RFC 1951, no header or checksum; zlib's windowBits −15), as SMART Health Cards compress
    /// their JWS payload. Same cap and strictness as ``zlib(_:maximumOutput:)``; `.notZlib` is never thrown.
    public static func raw(_ input: [UInt8], maximumOutput: Int) throws(InflateError) -> [UInt8] {
        try inflate(input, windowBits: -15, maximumOutput: maximumOutput)
    }

    private static func inflate(_ input: [UInt8], windowBits: Int32, maximumOutput: Int) throws(InflateError) -> [UInt8] {
        var stream = z_stream()
        guard gatecheck_inflateInit2(&stream, windowBits) == Z_OK else { throw .corrupt }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var status = Z_OK
        var overCap = false
        input.withUnsafeBufferPointer { inputBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress)
            stream.avail_in = uInt(inputBuffer.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunkSize - Int(stream.avail_out)
                guard output.count + produced <= maximumOutput else {
                    overCap = true
                    return
                }
                output += chunk[0..<produced]
            } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        if overCap { throw .outputTooLarge(limit: maximumOutput) }
        guard status == Z_STREAM_END else { throw .corrupt }
        guard stream.avail_in == 0 else { throw .trailingData }
        return output
    }

    /// RFC 1950 §2.2: CM = 8 (deflate), CINFO ≤ 7, and the header is a multiple of 31.
    private static func isZlibHeader(_ cmf: UInt8, _ flg: UInt8) -> Bool {
        cmf & 0x0F == 8 && cmf >> 4 <= 7 && (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0
    }
}
