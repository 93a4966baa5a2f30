import CZlib

/// zlib (RFC 1950) compression, for producing credentials and test data.
public enum Deflate {
    public static func zlib(_ input: [UInt8], level: Int32 = 9) -> [UInt8] {
        compress(input, level: level, windowBits: 15)
    }

    /// Raw DEFLATE (RFC 1951, windowBits −15): a SMART Health Card's JWS payload.
    public static func raw(_ input: [UInt8], level: Int32 = 9) -> [UInt8] {
        compress(input, level: level, windowBits: -15)
    }

    private static func compress(_ input: [UInt8], level: Int32, windowBits: Int32) -> [UInt8] {
        var stream = z_stream()
        guard gatecheck_deflateInit2(&stream, level, windowBits) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        var input = input
        let status = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        // deflateBound guarantees room for a single Z_FINISH call.
        precondition(status == Z_STREAM_END, "deflate with a deflateBound-sized buffer must finish")
        return Array(output.prefix(Int(stream.total_out)))
    }
}
