import Zlib

/// The outer layers of an EU DCC QR payload: `HC1:` + Base45 + zlib, around a COSE_Sign1 message.
public enum HC1Encoding {
    public static let prefix = "HC1:"

    /// QR codes hold at most 4,296 alphanumeric characters; anything longer is not a real code.
    public static let maximumPayloadLength = 8 * 1024
    /// A DCC's CBOR is a few kilobytes; the cap stops zlib bombs long before they cost memory.
    public static let maximumDecompressedSize = 64 * 1024

    /// Strips the prefix, decodes Base45 and inflates, returning the COSE_Sign1 bytes.
    public static func coseBytes(fromPayload payload: [UInt8]) throws(CredentialError) -> [UInt8] {
        guard payload.count <= maximumPayloadLength else {
            throw CredentialError(.payloadTooLarge, "payload of \(payload.count) bytes exceeds \(maximumPayloadLength)")
        }
        let base45 = try unprefixed(payload)
        let compressed = try Base45.decode(base45)
        return try inflate(compressed)
    }

    /// The Base45 text after `HC1:`; any other prefix (HC2:, HL0:, none) is refused.
    public static func unprefixed(_ payload: [UInt8]) throws(CredentialError) -> ArraySlice<UInt8> {
        guard payload.starts(with: prefixBytes) else {
            throw CredentialError(.badPrefix, "payload does not start with \(prefix)")
        }
        return payload.dropFirst(prefixBytes.count)
    }

    private static let prefixBytes = Array(prefix.utf8)

    /// Inflates the zlib layer under the size cap. Uncompressed data is refused (the spec says SHALL compress).
    public static func inflate(_ compressed: [UInt8]) throws(CredentialError) -> [UInt8] {
        do {
            return try Inflate.zlib(compressed, maximumOutput: maximumDecompressedSize)
        } catch .notZlib {
            throw CredentialError(.notCompressed, "data is not zlib-compressed")
        } catch .outputTooLarge(let limit) {
            throw CredentialError(.decompressedTooLarge, "decompressed data exceeds \(limit) bytes")
        } catch {
            throw CredentialError(.badCompression, error.description)
        }
    }
}
