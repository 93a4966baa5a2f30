import Frames
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import ScanPipeline
import Testing

/// The decide callback sees exactly what zbar read, and HC1Verifier decides over the issuer's trust list.
@Suite("Decide callback and verification")
struct VerificationTests {
    @Test func decideReceivesTheExactPayloadBytesAndTheFrame() throws {
        let received = Shared<[([UInt8], UInt64)]>([])
        let pipeline = try ScanPipeline(source: ScriptedSource([])) { payload, frame in
            received.withLock { $0.append((payload, frame.sequence)) }
            return Decision(verdict: .fail)
        }
        _ = pipeline.process(frame: Fixtures.frame(Fixtures.readableA, sequence: 42, at: 0))
        #expect(received.value.count == 1)
        #expect(received.value.first?.0 == Array(Fixtures.payloadA.utf8))
        #expect(received.value.first?.1 == 42)
    }

    @Test func hc1VerifierOverTheTestIssuersTrustListPasses() throws {
        let pipeline = try ScanPipeline(source: ScriptedSource([])) { payload, _ in Fixtures.verify(payload) }
        let events = pipeline.process(frame: Fixtures.frame(Fixtures.readableA, sequence: 0, at: 0))
        let decision = try #require(events.first?.decision)
        #expect(decision == Decision(verdict: .pass, credentialType: .vaccination, issuerCountry: Decision.IssuerCountry("XX"), kid: Decision.KeyIdentifier(Fixtures.issuer.kid)))
        #expect(decision.reason == nil)
    }

    @Test func aForeignSignerFailsWithItsReasonCode() throws {
        let stranger = try TestIssuer()
        let payload = try stranger.hc1(TestCredential(type: .test))
        let image = Fixtures.codeImage(payload)
        let pipeline = try ScanPipeline(source: ScriptedSource([])) { payload, _ in Fixtures.verify(payload) }
        let decision = try #require(pipeline.process(frame: Fixtures.frame(image, sequence: 0, at: 0)).first?.decision)
        #expect(decision.verdict == .fail)
        #expect(decision.reason == .unknownSigner)
        #expect(decision.kid?.bytes == stranger.kid)
    }

    @Test func latencyIsFromCaptureToDecisionOnThePipelineClock() throws {
        let clock = ManualClock()
        let pipeline = try ScanPipeline(source: ScriptedSource([]), clock: clock.clock) { payload, _ in
            clock.advance(by: .milliseconds(40))  // verification "takes" 40 ms
            return Fixtures.verify(payload)
        }
        clock.advance(by: .milliseconds(25))  // the frame was captured 25 ms ago
        let events = pipeline.process(frame: Fixtures.frame(Fixtures.readableA, sequence: 0, at: 0))
        #expect(events.first?.latencyMilliseconds == 65)
        let counters = pipeline.counters
        #expect(counters.lastLatencyMilliseconds == 65 && counters.meanLatencyMilliseconds == 65)
        #expect(counters.maxLatencyMilliseconds == 65)
    }
}
