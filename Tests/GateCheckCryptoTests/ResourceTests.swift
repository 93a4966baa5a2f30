import Foundation
import Testing
@testable import GateCheckCrypto

/// A coarse leak check: repeated verifications (valid, invalid and malformed) must not keep growing the resident set.
/// Other tests run concurrently in the same process and cause transient growth, so the check passes as soon as one
/// block of 10k verifications grows the RSS by less than 256 KiB; a leak of even ~100 bytes per verification grows
/// every block by more. (valgrind on a release binary gives the precise answer: 0 bytes definitely lost.)
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
        var growths: [Int] = []
        for _ in 0..<8 {
            let before = try #require(Self.residentBytes())
            for _ in 0..<2_500 { round() }  // 10k verifications
            let after = try #require(Self.residentBytes())
            growths.append(after - before)
            if after - before < 256 << 10 { break }
        }
        #expect(growths.contains { $0 < 256 << 10 }, "RSS grew in every block: \(growths)")
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
