import Foundation
import HealthCredentialsTesting
import HealthCredentials
import Testing
import Zlib

/// The outer layers: `HC1:` prefix, Base45 and zlib, with their size caps.
@Suite("HC1 encoding")
struct HC1EncodingTests {
    static let content: [UInt8] = Array("a COSE_Sign1 message would be here".utf8)

    /// `HC1:` + Base45(zlib(bytes)).
    static func payload(_ bytes: [UInt8], prefix: String = HC1Encoding.prefix) -> [UInt8] {
        Array((prefix + Base45.encode(Deflate.zlib(bytes))).utf8)
    }

    static func payload(compressed: [UInt8]) -> [UInt8] {
        Array((HC1Encoding.prefix + Base45.encode(compressed)).utf8)
    }

    @Test("a well-formed payload yields the original bytes")
    func roundTrip() throws {
        #expect(try HC1Encoding.coseBytes(fromPayload: Self.payload(Self.content)) == Self.content)
    }

    @Test("any prefix other than HC1: is refused", arguments: ["HC2:", "HL0:", "", "hc1:", "Hc1:", "HC1", "HC1;", " HC1:", "\u{FEFF}HC1:"])
    func wrongPrefix(prefix: String) {
        let payload = Self.payload(Self.content, prefix: prefix)
        expectCode(.badPrefix) { try HC1Encoding.coseBytes(fromPayload: payload) }
    }

    @Test("a payload over maximumPayloadLength is refused before decoding")
    func payloadTooLarge() {
        let oversize = Array((HC1Encoding.prefix + String(repeating: "0", count: HC1Encoding.maximumPayloadLength)).utf8)
        #expect(oversize.count == HC1Encoding.maximumPayloadLength + HC1Encoding.prefix.utf8.count)
        expectCode(.payloadTooLarge) { try HC1Encoding.coseBytes(fromPayload: oversize) }
        // Even without a valid prefix, size is checked first.
        let noPrefix = [UInt8](repeating: UInt8(ascii: "A"), count: HC1Encoding.maximumPayloadLength + 1)
        expectCode(.payloadTooLarge) { try HC1Encoding.coseBytes(fromPayload: noPrefix) }
    }

    @Test("a payload of exactly maximumPayloadLength is not refused for its size")
    func payloadAtLimit() {
        let body = String(repeating: "0", count: HC1Encoding.maximumPayloadLength - HC1Encoding.prefix.utf8.count)
        let atLimit = Array((HC1Encoding.prefix + body).utf8)
        #expect(atLimit.count == HC1Encoding.maximumPayloadLength)
        let error = credentialError { try HC1Encoding.coseBytes(fromPayload: atLimit) }
        #expect(error != nil)
        #expect(error?.code != .payloadTooLarge)
    }

    @Test("Base45 errors surface as bad-base45")
    func badBase45() {
        expectCode(.badBase45) { try HC1Encoding.coseBytes(fromPayload: Array("HC1:bb8".utf8)) }
        expectCode(.badBase45) { try HC1Encoding.coseBytes(fromPayload: Array("HC1:BB8B".utf8)) }
    }

    @Test(
        "data that is not zlib is refused as not-compressed",
        arguments: [
            [0xD2, 0x84, 0x43, 0xA1, 0x01, 0x26],  // a tagged COSE_Sign1, uncompressed (Z2)
            [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00],  // gzip
            [0x78],  // a lone header byte
            [0x78, 0x9D],  // CM 8 but header not a multiple of 31
            [0x88, 0x9C, 0x00, 0x00],  // CINFO 8 > 7
            [],
        ] as [[UInt8]]
    )
    func notCompressed(data: [UInt8]) {
        expectCode(.notCompressed) { try HC1Encoding.coseBytes(fromPayload: Self.payload(compressed: data)) }
        expectCode(.notCompressed) { try HC1Encoding.inflate(data) }
    }

    @Test("a corrupt zlib stream is refused as bad-compression")
    func corrupt() {
        let good = Deflate.zlib(Array(repeating: Self.content, count: 20).flatMap { $0 })
        // RFC 1950 §2.2: the last four bytes are the Adler-32 of the output; any change must be caught.
        var badChecksum = good
        badChecksum[badChecksum.count - 1] ^= 0x01
        var truncated = good
        truncated.removeLast(5)
        // BTYPE 11 (reserved, RFC 1951 §3.2.3) right after a valid header.
        let reservedBlockType: [UInt8] = [0x78, 0x9C, 0x07, 0x00, 0x00, 0x00, 0x00]
        for data in [badChecksum, truncated, reservedBlockType, [0x78, 0x9C]] {
            expectCode(.badCompression) { try HC1Encoding.coseBytes(fromPayload: Self.payload(compressed: data)) }
        }
    }

    @Test("bytes after the end of the zlib stream are refused")
    func trailingBytes() {
        let good = Deflate.zlib(Self.content)
        for trailer in [[0x00], [0x78, 0x9C], Deflate.zlib(Self.content)] as [[UInt8]] {
            let data = good + trailer
            let error = credentialError { try HC1Encoding.coseBytes(fromPayload: Self.payload(compressed: data)) }
            #expect(error?.code == .badCompression)
        }
    }

    @Test("decompressed output up to the cap is accepted, one byte more is refused")
    func decompressionCapBoundary() throws {
        let limit = HC1Encoding.maximumDecompressedSize
        var generator = SplitMix64(seed: 45)
        let atLimit = (0..<limit).map { _ in UInt8.random(in: 0...3, using: &generator) }
        #expect(try HC1Encoding.inflate(Deflate.zlib(atLimit)) == atLimit)
        expectCode(.decompressedTooLarge) { try HC1Encoding.inflate(Deflate.zlib(atLimit + [0])) }
    }

    @Test("a 50 MiB zlib bomb is refused quickly at the cap")
    func zlibBomb() {
        let bomb = Deflate.zlib([UInt8](repeating: 0, count: 50 * 1024 * 1024))
        #expect(bomb.count < 100 * 1024, "the bomb is small on the wire")
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            expectCode(.decompressedTooLarge) { try HC1Encoding.inflate(bomb) }
        }
        // A generous bound: inflating stops at the 64 KiB cap, so this takes microseconds; it only
        // guards against a cap that stops working and lets the 50 MiB through.
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }

    @Test("a bomb small enough to fit a QR payload is refused through the whole pipeline")
    func zlibBombInPayload() throws {
        let bomb = Deflate.zlib([UInt8](repeating: 0, count: 4 * 1024 * 1024))
        let payload = Self.payload(compressed: bomb)
        try #require(payload.count <= HC1Encoding.maximumPayloadLength)
        expectCode(.decompressedTooLarge) { try HC1Encoding.coseBytes(fromPayload: payload) }
    }
}

/// The Zlib module's own contract.
@Suite("Zlib")
struct ZlibTests {
    @Test("deflate output is a zlib stream that inflates back", arguments: [0, 1, 100, 16 * 1024, 16 * 1024 + 1, 100_000])
    func roundTrip(count: Int) throws {
        var generator = SplitMix64(seed: UInt64(count))
        let data = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let compressed = Deflate.zlib(data)
        // RFC 1950 §2.2: CM = 8 and (CMF·256 + FLG) is a multiple of 31.
        #expect(compressed[0] & 0x0F == 8)
        #expect((UInt16(compressed[0]) << 8 | UInt16(compressed[1])) % 31 == 0)
        #expect(try Inflate.zlib(compressed, maximumOutput: count) == data)
    }

    @Test("each failure has its own error")
    func errors() {
        let good = Deflate.zlib(Array("hello, zlib".utf8))
        #expect(throws: InflateError.notZlib) { try Inflate.zlib([0x1F, 0x8B, 0x08], maximumOutput: 100) }
        #expect(throws: InflateError.corrupt) { try Inflate.zlib(Array(good.dropLast(2)), maximumOutput: 100) }
        #expect(throws: InflateError.trailingData) { try Inflate.zlib(good + [0], maximumOutput: 100) }
        #expect(throws: InflateError.outputTooLarge(limit: 5)) { try Inflate.zlib(good, maximumOutput: 5) }
    }

    @Test("raw DEFLATE (no zlib header) is refused")
    func rawDeflate() {
        let zlib = Deflate.zlib(Array(repeating: UInt8(ascii: "x"), count: 1000))
        let raw = Array(zlib.dropFirst(2).dropLast(4))
        let error = #expect(throws: InflateError.self) { try Inflate.zlib(raw, maximumOutput: 10_000) }
        #expect(error != nil)
    }
}
