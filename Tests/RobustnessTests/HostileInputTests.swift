import CBOR
import CodeScanning
import Foundation
import HealthCredentials
import HealthCredentialsTesting
import Testing
import Zlib

/// Inputs built to hurt: each must be refused quickly, with a clear reason, and without a crash.
@Suite(.timeLimit(.minutes(5)))
struct HostileInputTests {
    let verifier = HC1Verifier(trustList: .empty)
    let context = VerificationContext(now: Date(timeIntervalSince1970: 1_660_000_000))

    @Test func zlibBombInsideAQRSizedPayloadIsRefused() {
        // 5 MiB of zeros deflates to about 5 KB, which Base45 fits under the payload cap.
        let bomb = Deflate.zlib([UInt8](repeating: 0, count: 5 * 1024 * 1024))
        let payload = HC1Encoding.prefix + Base45.encode(bomb)
        #expect(payload.utf8.count <= HC1Encoding.maximumPayloadLength)
        let report = verifier.verify(payload: payload, in: context)
        #expect(report.outcome(of: .decode) == .failed(CredentialError(.decompressedTooLarge, "")))
        #expect(report.verdict == .fail)
    }

    @Test func tenThousandDeepCBORIsRefused() {
        let nested = [UInt8](repeating: 0x81, count: 10_000) + [0x00]
        let report = verifier.verify(coseBytes: nested, in: context)
        #expect(report.failure?.code == .badCBOR)
        #expect(report.failure?.detail.contains("depth") == true)

        // The same nesting inside a signed payload's claims.
        let claims = [UInt8](repeating: 0x81, count: 10_000) + [0x00]
        var message = CBORWriter()
        message.appendHead(major: 4, argument: 4)
        message.appendByteString(Array(CBORValue.map([(.integer(1), .integer(-7)), (.integer(4), .bytes([1, 2, 3, 4, 5, 6, 7, 8]))]).encodedBytes))
        message.appendHead(major: 5, argument: 0)
        message.appendByteString(claims)
        message.appendByteString([UInt8](repeating: 1, count: 64))
        #expect(verifier.verify(coseBytes: message.bytes, in: context).failure?.code == .badCBOR)
    }

    @Test(arguments: [
        [0x5B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],  // byte string of 2^64-1 bytes
        [0x9B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],  // array of 2^63-1 items
        [0xBA, 0xFF, 0xFF, 0xFF, 0xFF, 0x00],  // map of 2^32-1 pairs
        [0x84, 0x5A, 0x7F, 0xFF, 0xFF, 0xFF],  // COSE array whose first bstr claims 2 GiB
    ] as [[UInt8]])
    func hugeDeclaredLengthsAreRefused(bytes: [UInt8]) {
        let report = verifier.verify(coseBytes: bytes, in: context)
        #expect(report.failure?.code == .badCBOR)
        #expect(report.failure?.detail.contains("declared") == true)
    }

    @Test func hundredMegabyteLineIsRefusedWithoutBufferingIt() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gatecheck-100mb-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try #require(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        let block = [UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20)
        for _ in 0..<100 { try handle.write(contentsOf: block) }
        try handle.write(contentsOf: Array("\nHC1:NEXT\n".utf8))
        try handle.close()

        let scanner = try QRScanner()
        let inputs = CodeInputs.read(url.path, scanner: scanner)
        #expect(inputs.count == 2)
        guard case .tooLong(let count)? = inputs.first?.content else {
            Issue.record("expected the 100 MB line to be reported as too long")
            return
        }
        #expect(count == 100 << 20)
        guard case .payload(let next)? = inputs.last?.content else {
            Issue.record("expected the following line to be read normally")
            return
        }
        #expect(next == Array("HC1:NEXT".utf8))
    }

    @Test func oversizedPayloadIsRefusedBeforeDecoding() {
        let payload = "HC1:" + String(repeating: "0", count: HC1Encoding.maximumPayloadLength)
        #expect(verifier.verify(payload: payload, in: context).failure?.code == .payloadTooLarge)
    }

    @Test(arguments: [0, 1, 32, 63, 65, 96, 512, 10_000])
    func garbageSignaturesOfAnyLengthFailCleanly(length: Int) throws {
        let issuer = try TestIssuer(algorithm: .es256)
        let good = try issuer.coseSign1(claims: TestCredential().claims)
        // Replace the signature bstr with `length` bytes of 0xFF.
        let message = try COSESign1(decoding: good)
        var rebuilt = CBORWriter()
        rebuilt.appendHead(major: 6, argument: 18)
        rebuilt.appendHead(major: 4, argument: 4)
        rebuilt.appendByteString(message.protectedHeaderBytes)
        rebuilt.appendHead(major: 5, argument: 0)
        rebuilt.appendByteString(message.payload)
        rebuilt.appendByteString([UInt8](repeating: 0xFF, count: length))
        let report = HC1Verifier(trustList: issuer.trustList).verify(coseBytes: rebuilt.bytes, in: VerificationContext(now: TestCredential.validAt))
        #expect(report.verdict == .fail)
        let code = report.outcome(of: .signature).error?.code
        #expect(code == .malformedSignature || code == .badSignature)
    }
}
