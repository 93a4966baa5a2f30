import Foundation
import Testing
@testable import GateCheckCrypto

/// A coarse leak check: ~20k verifications (valid, invalid and malformed) must not grow the resident set.
/// A leaked EVP_MD_CTX or ECDSA_SIG per call would add several MiB here. (valgrind gives the precise answer.)
@Suite("Resources")
struct ResourceTests {
    static func residentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test func repeatedVerificationDoesNotGrowMemory() throws {
        let ecKey = TestKeys.p256
        let rsaKey = TestKeys.rsa2048
        let message = Array("loop".utf8)
        let ecSignature = try ecKey.sign(message, algorithm: .es256)
        let rsaSignature = try rsaKey.sign(message, algorithm: .ps256)
        var badEC = ecSignature
        badEC[10] ^= 1
        let round = {
            #expect(ecKey.publicKey.verify(signature: ecSignature, for: message, algorithm: .es256) == .valid)
            #expect(ecKey.publicKey.verify(signature: badEC, for: message, algorithm: .es256) == .invalid)
            #expect(ecKey.publicKey.verify(signature: [1, 2], for: message, algorithm: .es256) == .malformedSignature)
            #expect(rsaKey.publicKey.verify(signature: rsaSignature, for: message, algorithm: .ps256) == .valid)
            _ = try? Certificate(derEncoded: [0x30, 0x03, 0x02, 0x01, 0x01])
        }
        for _ in 0..<1_000 { round() }  // warm-up: allocator pools, OpenSSL provider caches
        let before = try #require(Self.residentBytes())
        for _ in 0..<5_000 { round() }  // 20k verifications
        let after = try #require(Self.residentBytes())
        #expect(after - before < 4 << 20, "RSS grew by \(after - before) bytes")
    }

    /// One immutable key shared by many concurrent verifiers (the checkpoint caches keys by kid).
    @Test func concurrentVerificationWithSharedKeys() async throws {
        let message = Array("concurrent".utf8)
        let ecSignature = try TestKeys.p256.sign(message, algorithm: .es256)
        let rsaSignature = try TestKeys.rsa2048.sign(message, algorithm: .ps256)
        let outcomes = await withTaskGroup(of: [SignatureCheck].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    (0..<200).flatMap { index -> [SignatureCheck] in
                        var bad = ecSignature
                        bad[(worker + index) % 64] ^= 0x01
                        return [
                            TestKeys.p256.publicKey.verify(signature: ecSignature, for: message, algorithm: .es256),
                            TestKeys.p256.publicKey.verify(signature: bad, for: message, algorithm: .es256),
                            TestKeys.rsa2048.publicKey.verify(signature: rsaSignature, for: message, algorithm: .ps256),
                        ]
                    }
                }
            }
            var all: [SignatureCheck] = []
            for await part in group { all += part }
            return all
        }
        #expect(outcomes.count == 8 * 200 * 3)
        #expect(outcomes.filter { $0 == .valid }.count == 8 * 200 * 2)
        #expect(outcomes.filter { $0 == .invalid }.count == 8 * 200)
    }
}
