import DaemonSupport
import GateVocabulary
import HealthCredentials
import Testing

/// The verdict line's closed set of fields and its exact text.
@Suite("Verdict lines")
struct VerdictLineTests {
    @Test func verdictLine() throws {
        let line = VerdictLine(
            Decision(verdict: .fail, reason: .expired, credentialType: .vaccination, issuerCountry: Decision.IssuerCountry("de"),
            kid: Decision.KeyIdentifier([0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04])), latency: .microseconds(42_900)
        )
        #expect(line.description == "verdict=fail format=hc1 reason=expired type=vaccination country=DE kid=3q2+7wECAwQ= latency_ms=42")
        #expect(LogLineFormatter(style: .journal).format(line) == "<6>\(line)\n")

        let unknown = VerdictLine(Decision(verdict: .fail, reason: .noCodeFound), latency: .milliseconds(-3))
        #expect(unknown.description == "verdict=fail format=hc1 reason=no-code-found type=- country=- kid=- latency_ms=0")
        let pass = VerdictLine(Decision(verdict: .pass, reason: nil, credentialType: .test, issuerCountry: Decision.IssuerCountry("EU"), kid: Decision.KeyIdentifier([1])), latency: .seconds(1))
        #expect(pass.description == "verdict=pass format=hc1 reason=none type=test country=EU kid=AQ== latency_ms=1000")
    }

    /// Failing admission rules follow the reason; a line without any reads exactly as before rules existed.
    @Test func verdictLineWithRules() throws {
        let kid = Decision.KeyIdentifier([0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04])
        let rules = try ["VR-DE-0001", "VR-DE-0003"].map { try #require(Decision.RuleIdentifier($0)) }
        let failed = VerdictLine(
            Decision(verdict: .fail, reason: .ruleFailed, credentialType: .vaccination, issuerCountry: Decision.IssuerCountry("DE"),
            kid: kid, failedRules: rules), latency: .milliseconds(7))
        #expect(failed.description == "verdict=fail format=hc1 reason=rule-failed rules=VR-DE-0001,VR-DE-0003 type=vaccination country=DE kid=3q2+7wECAwQ= latency_ms=7")
        // logfmt: the field is one token, with no space or quote inside.
        #expect(failed.description.split(separator: " ").contains("rules=VR-DE-0001,VR-DE-0003"))

        let without = VerdictLine(
            Decision(verdict: .fail, reason: .expired, credentialType: .vaccination, issuerCountry: Decision.IssuerCountry("DE"),
            kid: kid, failedRules: []), latency: .milliseconds(7))
        let before = VerdictLine(
            Decision(verdict: .fail, reason: .expired, credentialType: .vaccination, issuerCountry: Decision.IssuerCountry("DE"),
            kid: kid), latency: .milliseconds(7))
        #expect(Array(without.description.utf8) == Array("verdict=fail format=hc1 reason=expired type=vaccination country=DE kid=3q2+7wECAwQ= latency_ms=7".utf8))
        #expect(Array(LogLineFormatter(style: .journal).format(without).utf8) == Array(LogLineFormatter(style: .journal).format(before).utf8))
        #expect(!without.description.contains("rules="))
    }

    /// A rule identifier has the gateway's shape and nothing else: no payload text can pass for one.
    @Test(arguments: ["GR-EU-0000", "VR-DE-0001", "TR-XX-12345678", "RR-AT-0042", "IR-NL-0002"])
    func ruleIdentifiersOfTheGatewayShape(_ identifier: String) throws {
        #expect(try #require(Decision.RuleIdentifier(identifier)).description == identifier)
    }

    @Test(arguments: [
        "", "VR-DE-", "RR-AT-1", "VR-DE-000A", "XR-DE-0001", "vr-de-0001", "VR-de-0001", "VR_DE_0001", "VR-DE-123456789", "VR-DEU-0001",
        "VR-DE-0001 ", "VR-DE-0001,VR-DE-0002", "Erika Mustermann", "VR-DE-０００１",
    ])
    func anythingElseIsNoRuleIdentifier(_ text: String) {
        #expect(Decision.RuleIdentifier(text) == nil)
    }

    /// A kid is written in standard base64 with padding, as the EU trust lists print kids.
    @Test(arguments: [("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy"), ("\u{FB}", "w7s=")])
    func keyIdentifiersInBase64(_ bytes: String, _ written: String) throws {
        #expect(try #require(Decision.KeyIdentifier(Array(bytes.utf8))).description == written)
    }

    @Test func verdictFieldsAcceptNothingElse() {
        #expect(Decision.IssuerCountry("DEU") == nil)
        #expect(Decision.IssuerCountry("D1") == nil)
        #expect(Decision.IssuerCountry("É1") == nil)
        #expect(Decision.IssuerCountry("") == nil)
        #expect(Decision.KeyIdentifier([]) == nil)
        #expect(Decision.KeyIdentifier([UInt8](repeating: 0x41, count: 33)) == nil)
        #expect(Decision.KeyIdentifier([UInt8](repeating: 0x41, count: 32)) != nil)
        #expect(CredentialError.Code("Erika Mustermann") == nil)
        #expect(CredentialError.Code("bad-signature") == .badSignature)
        // Every reason is a short lowercase code (letters, digits, dashes), so a line always parses as logfmt.
        for reason in CredentialError.Code.all + [.other] {
            #expect(reason.description.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" })
        }
    }
}
