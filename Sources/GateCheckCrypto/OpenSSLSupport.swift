import COpenSSL

/// Module-internal helpers shared by the wrapper types: error-queue handling and size caps.
///
/// OpenSSL keeps a per-thread error queue. Every failure path must drain it, otherwise a stale entry can be
/// misattributed to a later, unrelated call on the same thread.
enum OpenSSLSupport {
    /// Largest DER input (certificate, SPKI) accepted before any parsing. Real DSCs are 0.5–3 KiB.
    static let maxDERInputSize = 64 * 1024

    /// Drains the calling thread's error queue and returns the entries as one line (for `CryptoError` reasons).
    static func drainErrors() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            // Bounded: the queue holds at most ERR_NUM_ERRORS (16) entries.
            var buffer = [CChar](repeating: 0, count: 256)
            let text = buffer.withUnsafeMutableBufferPointer { pointer -> String in
                ERR_error_string_n(code, pointer.baseAddress, pointer.count)
                return String(cString: pointer.baseAddress!)
            }
            messages.append(text)
        }
        return messages.joined(separator: "; ")
    }

    /// Builds an error whose reason includes what OpenSSL reported, clearing the queue.
    static func error(
        _ code: CryptoError.Code, _ reason: String, fileID: String = #fileID, line: Int = #line
    ) -> CryptoError {
        let details = drainErrors()
        return CryptoError(
            code, reason: details.isEmpty ? reason : "\(reason) [\(details)]", fileID: fileID, line: line)
    }

    /// Runs an `i2d_*`-style encoder twice, once for the length and once for the bytes, and returns
    /// the DER only when it wrote exactly what it announced.
    static func encodeDER(_ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) -> [UInt8]? {
        let length = encode(nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return encode(&cursor)
        }
        return written == length ? der : nil
    }

    /// Parses one DER object with a `d2i_*`-style function and insists that it consumed every byte.
    ///
    /// `d2i_*` functions happily stop after the first complete object; accepting the remainder would let two
    /// different byte strings (with different fingerprints) stand for the same object.
    static func decodeDER(
        _ bytes: [UInt8],
        malformed: CryptoError.Code,
        what: String,
        decode: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?,
        free: (OpaquePointer) -> Void
    ) throws(CryptoError) -> OpaquePointer {
        guard bytes.count <= maxDERInputSize else {
            throw CryptoError(.inputTooLarge, reason: "\(what) of \(bytes.count) bytes exceeds \(maxDERInputSize)")
        }
        guard !bytes.isEmpty else {
            throw CryptoError(malformed, reason: "empty \(what)")
        }
        let result: (object: OpaquePointer?, consumed: Int) = bytes.withUnsafeBufferPointer { buffer in
            let start = buffer.baseAddress!
            var cursor: UnsafePointer<UInt8>? = start
            let object = decode(&cursor, buffer.count)
            return (object, cursor.map { $0 - start } ?? 0)
        }
        guard let object = result.object else {
            throw error(malformed, "\(what) does not parse")
        }
        guard result.consumed == bytes.count else {
            free(object)
            ERR_clear_error()
            throw CryptoError(.trailingData, reason: "\(bytes.count - result.consumed) bytes after the \(what)")
        }
        return object
    }
}
