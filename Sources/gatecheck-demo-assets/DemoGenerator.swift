import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import TrustStore

struct DemoAssetsError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Writes a complete demo folder into an empty directory.
struct DemoGenerator {
    static let bundleNotAfter = Date(timeIntervalSince1970: 2_082_758_400)  // 2036-01-01T00:00:00Z
    static let producer = "gatecheck-demo-assets (DEMO keys, not for production)"

    let now: Date

    /// The bundle's issuedAt: the generation time rounded down to the day (UTC).
    var issuedAt: Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// Generates into `folder` (which must exist and be empty) and returns the cases it drew.
    func generate(into folder: String) throws -> [DemoCase] {
        let pki = try DemoPKI()
        let cases = try DemoCases(pki: pki, issuedAt: issuedAt).all()
        let files = FileManager.default
        for directory in [DemoLayout.anchors, DemoLayout.trust, DemoLayout.frames] {
            try files.createDirectory(atPath: folder + "/" + directory, withIntermediateDirectories: true)
        }

        try write(Array(TestCertificateAuthority.pem(pki.anchor.certificate).utf8), to: folder + "/" + DemoLayout.anchor)
        try write(try bundle(pki), to: folder + "/" + DemoLayout.bundle)
        for demoCase in cases {
            let frame = try DemoFrame.render(demoCase.payload)
            try write(GreyPNG.encode(frame), to: folder + "/" + DemoLayout.frames + "/" + demoCase.fileName)
        }
        try write(Array(DemoDocuments.expectedTSV(cases).utf8), to: folder + "/" + DemoLayout.expected)
        try write(
            Array(DemoDocuments.readme(cases, issuedAt: issuedAt, notAfter: Self.bundleNotAfter).utf8),
            to: folder + "/" + DemoLayout.readme)
        return cases
    }

    /// Sequence 1, the demo DSC (not the stranger), and the revoked frame's UCI.
    private func bundle(_ pki: DemoPKI) throws -> [UInt8] {
        var builder = TrustBundleBuilder(sequence: 1, issuedAt: issuedAt, notAfter: Self.bundleNotAfter, producer: Self.producer)
        builder.signers = [pki.documentSigner.signer]
        builder.revocations[.revokedUCI] = [RevocationHash.uci(DemoCases.revokedUCI)]
        return try builder.build(signingKey: pki.bundleSigningKey, certificate: pki.bundleSigningCertificate)
    }

    private func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
