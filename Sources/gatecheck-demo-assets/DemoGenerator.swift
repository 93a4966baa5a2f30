import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import Imaging
import TrustSources
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
    /// Also write `system/` for the emulated-machine tests (Tests/System): not part of the committed demo.
    var systemTest = false

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
            try write(ImageFile.encodePNG(frame), to: folder + "/" + DemoLayout.frames + "/" + demoCase.fileName)
        }
        try write(Array(DemoDocuments.expectedTSV(cases).utf8), to: folder + "/" + DemoLayout.expected)
        if systemTest { try writeSystemTestFiles(pki, cases, into: folder + "/" + DemoLayout.system) }
        try write(
            Array(DemoDocuments.readme(cases, rules: try DemoRules.ruleSet(), issuedAt: issuedAt, notAfter: Self.bundleNotAfter).utf8),
            to: folder + "/" + DemoLayout.readme)
        return cases
    }

    /// The system tier's extras: bundle 2 adds the stranger DSC (so the unknown-signer frame passes after a
    /// USB update), a copy of it with one byte of its signer section flipped, bundle 3 for the HTTPS fetch
    /// (above whatever the USB scenarios installed), and every frame as 1280×720 video (YUYV and GREY) for
    /// vivid's HDMI output to loop back into its capture input.
    private func writeSystemTestFiles(_ pki: DemoPKI, _ cases: [DemoCase], into folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder + "/frames", withIntermediateDirectories: true)
        let update = try bundle(pki, sequence: 2, signers: [pki.documentSigner, pki.strangerSigner])
        try write(update, to: folder + "/gatecheck-trust-2.bundle")
        try write(try bundle(pki, sequence: 3, signers: [pki.documentSigner, pki.strangerSigner]), to: folder + "/gatecheck-trust-3.bundle")
        var tampered = update
        tampered[tampered.count / 2] ^= 0x01
        try write(tampered, to: folder + "/tampered.bundle")
        for demoCase in cases {
            let frame = try DemoFrame.render(demoCase.payload)
            let name = (demoCase.fileName as NSString).deletingPathExtension
            let yuyv = DemoFrame.yuyv(frame, width: 1280, height: 720)
            try write(yuyv, to: folder + "/frames/" + name + ".yuyv")
            // The luma plane alone: vivid loops output to capture only when both use the same format, and
            // the camera code picks GREY when a device offers it.
            try write(stride(from: 0, to: yuyv.count, by: 2).map { yuyv[$0] }, to: folder + "/frames/" + name + ".grey")
        }
    }

    /// Sequence 1: the demo DSC (not the stranger), the revoked frame's UCI and the demo rules.
    private func bundle(_ pki: DemoPKI) throws -> [UInt8] {
        try bundle(pki, sequence: 1, signers: [pki.documentSigner])
    }

    private func bundle(_ pki: DemoPKI, sequence: UInt64, signers: [TestIssuer]) throws -> [UInt8] {
        var builder = TrustBundleBuilder(sequence: sequence, issuedAt: issuedAt, notAfter: Self.bundleNotAfter, producer: Self.producer)
        builder.signers = signers.map(\.signer)
        builder.trust.shc = try pki.healthCardIssuer.directory
        builder.revocations[.revokedUCI] = [RevocationHash.uci(DemoCases.revokedUCI)]
        builder.rules = try DemoRules.ruleSet()
        builder.valueSets = try DemoRules.valueSets()
        return try builder.build(signingKey: pki.bundleSigningKey, certificate: pki.bundleSigningCertificate)
    }

    private func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
