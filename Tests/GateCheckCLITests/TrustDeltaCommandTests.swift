import Foundation
import GateCheckTestSupport
import HealthCredentialsTesting
import Testing

/// `trust bundle create --delta-from`, then the delta through inspect, diff, import, show and verify, as the binary.
@Suite struct TrustDeltaCommandTests {
    static let removedCI = "URN:UVCI:01:XX:WITHDRAWN-0001"
    static let addedCI = "URN:UVCI:01:XX:ADDED-0001"

    @Test func aDeltaFromTheCommandLineInstallsOnItsBaseAndDecides() throws {
        let setup = try TrustCommandTests.Setup()
        let base = setup.path("base.bundle")
        let baseList = try setup.folder.write("day0.txt", "\(TrustCommandTests.revokedCI)\n\(Self.removedCI)\n")
        #expect(try setup.create(sequence: 1, output: base, extra: ["--cert", setup.dsc, "--revoked-uci", baseList]).status == 0)

        let delta = setup.path("delta.bundle")
        let dayList = try setup.folder.write("day1.txt", "\(TrustCommandTests.revokedCI)\n\(Self.addedCI)\n")
        let created = try setup.create(
            sequence: 2, output: delta, extra: ["--cert", setup.dsc, "--revoked-uci", dayList, "--delta-from", base, "--anchors", setup.anchors])
        #expect(created.status == 0, "\(created.standardError)")
        #expect(created.standardOutput.contains("(delta on base sequence 1: +1 -1)"), "\(created.standardOutput)")

        let inspected = try GateCheckCLI.run(["trust", "bundle", "inspect", delta])
        #expect(inspected.standardOutput.contains("delta on base sequence 1, base manifest sha256 "), "\(inspected.standardOutput)")
        let diff = try GateCheckCLI.run(["trust", "bundle", "diff", "--anchors", setup.anchors, base, delta])
        #expect(diff.status == 0, "\(diff.standardError)")
        let lines = diff.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("base - 1:") }, "\(lines)")
        #expect(lines.contains("revocation revoked-uci 2 0 +0 -2"))
        #expect(lines.contains("revocation revoked-uci+ 0 1 +1 -0"))
        #expect(lines.contains("revocation revoked-uci- 0 1 +1 -0"))

        #expect(try setup.importBundle(base).status == 0)
        let imported = try setup.importBundle(delta)
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.contains("installed sequence 2: 1 signers, delta on base sequence 1: revocation entries +1 -1"), "\(imported.standardOutput)")

        let shown = try GateCheckCLI.run(["trust", "show", "--state-dir", setup.state, "--anchors", setup.anchors, "--json"])
        let status = try #require(shown.jsonObjects.first)
        #expect(status["sequence"] as? Int == 2)
        #expect((status["base"] as? [String: Any])?["sequence"] as? Int == 1)
        #expect((status["revocations"] as? [String: Int])?["revoked-uci"] == 2)

        let payloads = try [TrustCommandTests.revokedCI, Self.removedCI, Self.addedCI].map { try setup.issuer.hc1(TrustCommandTests.credential(ci: $0)) }
        let file = try setup.folder.write("payloads.txt", payloads.joined(separator: "\n") + "\n")
        let verified = try GateCheckCLI.run(["verify", "--state-dir", setup.state, "--anchors", setup.anchors, "--at", TrustCommandTests.validAt, "--json", file])
        #expect(verified.jsonObjects.map { $0["reason"] as? String } == ["revoked", nil, "revoked"], "\(verified.standardOutput)")

        // A delta of a bundle this device never had: refused, nothing changed.
        let other = setup.path("other.bundle")
        #expect(try setup.create(sequence: 3, output: other, extra: ["--cert", setup.dsc]).status == 0)
        let foreign = setup.path("foreign.bundle")
        #expect(try setup.create(sequence: 4, output: foreign, extra: ["--cert", setup.dsc, "--delta-from", other]).status == 0)
        let before = try setup.stateFiles()
        let refused = try setup.importBundle(foreign)
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("delta-base-mismatch"), "\(refused.standardError)")
        #expect(try setup.stateFiles() == before)
    }
}
