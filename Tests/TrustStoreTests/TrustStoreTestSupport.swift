import Glibc
import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import Testing
@testable import TrustStore

// Shared builders for the trust-store tests: a PKI made in code, bundles and byte-for-byte snapshots of a
// directory (temporary directories come from GateCheckTestSupport). Everything here is namespaced (`TSFixture`,
// `TSPKI`, `TSDirectory`) so it cannot collide with the private helpers of other files in this target.

/// The bundle-signing PKI, built once per test process: a root CA, a P-256 signing leaf issued by it,
/// an unrelated root with its own leaf, and an expired leaf of the right root.
struct TSPKI: Sendable {
    let rootKey: PrivateKey
    let root: Certificate
    let signingKey: PrivateKey
    let signingCertificate: Certificate
    let strangerRoot: Certificate
    let strangerKey: PrivateKey
    let strangerCertificate: Certificate
    let expiredKey: PrivateKey
    let expiredCertificate: Certificate

    static let validFrom = Date(timeIntervalSince1970: 1_577_836_800)  // 2020-01-01
    static let validUntil = Date(timeIntervalSince1970: 2_208_988_800)  // 2040-01-01

    static let shared: TSPKI = {
        do { return try TSPKI() } catch { fatalError("cannot build the test PKI: \(error)") }
    }()

    init() throws {
        let authority = try TestCertificateAuthority(commonName: "GateCheck Test Bundle Root", notBefore: Self.validFrom, notAfter: Self.validUntil)
        (rootKey, root) = (authority.key, authority.certificate)
        (signingKey, signingCertificate) = try authority.issueSigner(
            commonName: "GateCheck Test Bundle Signer", notBefore: Self.validFrom, notAfter: Self.validUntil)
        let stranger = try TestCertificateAuthority(commonName: "Unrelated Root", country: "ZZ", notBefore: Self.validFrom, notAfter: Self.validUntil)
        strangerRoot = stranger.certificate
        (strangerKey, strangerCertificate) = try stranger.issueSigner(
            commonName: "Unrelated Bundle Signer", notBefore: Self.validFrom, notAfter: Self.validUntil)
        (expiredKey, expiredCertificate) = try authority.issueSigner(
            commonName: "Expired Bundle Signer", notBefore: Self.validFrom, notAfter: Date().addingTimeInterval(-86_400), serialNumber: 3)
    }

    var anchors: [Certificate] { [root] }

    static func pem(_ certificate: Certificate) -> String { TestCertificateAuthority.pem(certificate) }
}

/// Who signs a test bundle.
enum TSSigner {
    case good, stranger, expired

    var keyAndCertificate: (PrivateKey, Certificate) {
        let pki = TSPKI.shared
        switch self {
        case .good: return (pki.signingKey, pki.signingCertificate)
        case .stranger: return (pki.strangerKey, pki.strangerCertificate)
        case .expired: return (pki.expiredKey, pki.expiredCertificate)
        }
    }
}

enum TSFixture {
    /// Two DSCs shared by most tests (made once).
    static let issuers: [TestIssuer] = {
        do { return [try TestIssuer(country: "XX"), try TestIssuer(country: "YY")] } catch { fatalError("\(error)") }
    }()

    static let revokedUCI = "URN:UVCI:01:XX:REVOKED-0001"

    /// A signed bundle. By default: both shared DSCs, one revoked UCI plus `extraRevocations` random
    /// hashes in each revocation table, issued an hour ago and valid for 30 days.
    static func bundle(
        sequence: UInt64,
        signer: TSSigner = .good,
        issuedAt: Date = Date().addingTimeInterval(-3_600),
        validDays: Double = 30,
        signers: [DocumentSigner]? = nil,
        revokedUCIs: [String] = [revokedUCI],
        revocations: [BundleSection: [[UInt8]]] = [:],
        extraRevocations: Int = 64,
        seed: UInt64 = 1,
        deltaBase: TrustBundleBuilder.DeltaBase? = nil
    ) throws -> [UInt8] {
        var builder = TrustBundleBuilder(
            sequence: sequence, issuedAt: issuedAt, notAfter: issuedAt.addingTimeInterval(validDays * 86_400), producer: "gatecheck-tests")
        builder.signers = signers ?? issuers.map(\.signer)
        var generator = SplitMix64(seed: seed)
        for table in BundleSection.revocationTables {
            builder.revocations[table] = (revocations[table] ?? []) + (0..<extraRevocations).map { _ in randomHash16(&generator) }
        }
        builder.revocations[.revokedUCI, default: []] += revokedUCIs.map(RevocationHash.uci)
        builder.deltaBase = deltaBase
        let (key, certificate) = signer.keyAndCertificate
        return try builder.build(signingKey: key, certificate: certificate)
    }

    static func randomHash16(_ generator: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for _ in 0..<2 {
            let value = generator.next()
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        return bytes
    }

    // MARK: Reading the framing of a bundle held in memory (independent of BundleLayout.read).

    struct RawEntry {
        let name: String
        let offset: Int
        let length: Int
        /// Where this entry sits in the section table.
        let entryOffset: Int
    }

    static func readUInt64(_ bytes: [UInt8], at offset: Int) -> Int {
        Int(bytes[offset..<(offset + 8)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    static func writeUInt64(_ value: UInt64, into bytes: inout [UInt8], at offset: Int) {
        for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * index)) }
    }

    /// The section table: header 16 bytes, then 48 bytes per entry (name 24, offset 8, length 8, reserved 8).
    static func entries(_ bytes: [UInt8]) -> [RawEntry] {
        let count = Int(bytes[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        return (0..<count).map { index in
            let start = 16 + 48 * index
            let name = String(decoding: bytes[start..<(start + 24)].prefix { $0 != 0 }, as: UTF8.self)
            return RawEntry(name: name, offset: readUInt64(bytes, at: start + 24), length: readUInt64(bytes, at: start + 32), entryOffset: start)
        }
    }

    static func entry(_ bytes: [UInt8], _ section: BundleSection) -> RawEntry? {
        entries(bytes).first { $0.name == section.rawValue }
    }

    /// The sections in table order, as (section, bytes), ready for `BundleLayout.encode`.
    static func sections(_ bytes: [UInt8]) -> [(BundleSection, [UInt8])] {
        entries(bytes).map { (BundleSection(rawValue: $0.name)!, Array(bytes[$0.offset..<($0.offset + $0.length)])) }
    }

    /// A copy with one byte flipped in the middle of `section`.
    static func flippingByte(in section: BundleSection, of bytes: [UInt8], at fraction: Double = 0.5) -> [UInt8] {
        let entry = entry(bytes, section)!
        precondition(entry.length > 0, "\(section) is empty")
        var copy = bytes
        copy[entry.offset + min(entry.length - 1, Int(Double(entry.length) * fraction))] ^= 0x20
        return copy
    }
}

// MARK: Files

enum TSDirectory {
    /// Every file in `directory` by name, with its bytes (subdirectories and links are recorded by kind).
    static func snapshot(_ directory: String) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFREG {
                files[name] = try bytes(path)
            } else {
                files[name] = Array("<not a regular file, mode \(info.st_mode)>".utf8)
            }
        }
        return files
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}

struct TSError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` expecting a `TrustStoreError`; returns it (nil, with a recorded issue, when none was thrown).
@discardableResult
func expectTrustStoreError(
    _ code: TrustStoreError.Code, _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> TrustStoreError? {
    do {
        try body()
        Issue.record("expected \(code), nothing was thrown \(comment)", sourceLocation: sourceLocation)
        return nil
    } catch let error as TrustStoreError {
        #expect(error.code == code, "expected \(code), got \(error) \(comment)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected TrustStoreError \(code), got \(error) \(comment)", sourceLocation: sourceLocation)
        return nil
    }
}
