import Frames
import HealthCredentials
import HealthCredentialsTesting
import ScanPipeline
import SystemCalls
import Testing

/// Decisions, events and counters carry no personal data and no payload.
@Suite("No personal data in pipeline output")
struct PrivacyTests {
    /// Strings from the test credential that identify its holder, and the payload itself.
    static let forbidden = ["Testperson", "TESTPERSON", "Anna", "ANNA", "1980-01-01", "HC1:", String(Fixtures.payloadA.dropFirst(4).prefix(24))]

    @Test func decisionHoldsOnlyVerdictFormatReasonTypeIssuerKidAndRuleIdentifiers() {
        let decision = Decision(verdict: .pass)
        #expect(Reflection.labels(of: decision) == ["verdict", "format", "reason", "failedRules", "credentialType", "issuerCountry", "kid"])
        let event = ScanEvent(kind: .decision(decision), frameSequence: 1, latencyMilliseconds: 3, emitted: .now())
        #expect(Reflection.labels(of: event) == ["kind", "frameSequence", "latencyMilliseconds", "emitted"])
    }

    @Test func eventsFromARealVerificationNameNobody() throws {
        // The verifier's report does know the holder; the decision must not.
        let report = Fixtures.verifier.verify(payload: Fixtures.payloadA, in: VerificationContext(now: TestCredential.validAt))
        #expect(report.holder != nil)

        let pipeline = try ScanPipeline(source: ScriptedSource([])) { payload, _ in Fixtures.verify(payload) }
        let events = pipeline.process(frame: Fixtures.frame(Fixtures.readableA, sequence: 0, at: 0))
        #expect(events.count == 1)
        for subject in [events as Any, pipeline.counters as Any] {
            var dumped = ""
            dump(subject, to: &dumped)
            let texts = [dumped, String(describing: subject), String(reflecting: subject)]
            for text in texts {
                for word in Self.forbidden {
                    #expect(!text.contains(word), "\(word) leaked")
                }
            }
            let values = Reflection.allValues(of: subject)
            #expect(!values.contains { $0 is Holder })
            #expect(!values.contains { ($0 as? [UInt8]) == Array(Fixtures.payloadA.utf8) })
        }
        // The only byte array in a decision is the signer's kid (an empty array, such as no failed
        // rules, casts to any element type, so it is left out).
        let arrays = Reflection.allValues(of: events).compactMap { $0 as? [UInt8] }.filter { !$0.isEmpty }
        #expect(!arrays.isEmpty && arrays.allSatisfy { $0 == Fixtures.issuer.kid })
    }
}
