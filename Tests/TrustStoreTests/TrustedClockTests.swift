import Foundation
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing
@testable import TrustStore

@Suite("Trusted time")
struct TrustedClockTests {
    static let issuedAt = Date(timeIntervalSince1970: 1_700_000_000)
    static let manifest = BundleManifest(
        format: 1, sequence: 12, issuedAt: issuedAt, notAfter: issuedAt.addingTimeInterval(30 * 86_400), producer: "test", files: [])

    func isClockUntrusted(_ fitness: VerificationContext.Fitness) -> Bool {
        if case .clockUntrusted = fitness { return true }
        return false
    }

    func isStale(_ fitness: VerificationContext.Fitness) -> Bool {
        if case .trustStale = fitness { return true }
        return false
    }

    @Test("a clock behind the bundle's issuedAt by more than the tolerance is untrusted", arguments: [301.0, 3_600.0, 31_536_000.0, 1_700_000_000.0])
    func behindIssuedAt(seconds: Double) {
        let clock = TrustedClock(tolerance: 300)
        let assessment = clock.assess(systemNow: Self.issuedAt.addingTimeInterval(-seconds), manifest: Self.manifest, clockHighWater: nil)
        #expect(isClockUntrusted(assessment.fitness), "\(assessment.fitness)")
        #expect(assessment.warnings.isEmpty)
    }

    @Test("a clock behind issuedAt within the tolerance is fit", arguments: [0.0, 1.0, 299.0, 300.0])
    func withinTolerance(seconds: Double) {
        let assessment = TrustedClock(tolerance: 300).assess(
            systemNow: Self.issuedAt.addingTimeInterval(-seconds), manifest: Self.manifest, clockHighWater: nil)
        #expect(assessment.fitness == .fit)
        #expect(assessment.warnings.isEmpty)
    }

    @Test("a clock behind the persisted high-water mark is untrusted, even without a bundle")
    func behindHighWater() {
        let mark = Self.issuedAt.addingTimeInterval(10 * 86_400)
        let clock = TrustedClock()
        #expect(isClockUntrusted(clock.assess(systemNow: mark.addingTimeInterval(-3_600), manifest: Self.manifest, clockHighWater: mark).fitness))
        #expect(isClockUntrusted(clock.assess(systemNow: mark.addingTimeInterval(-3_600), manifest: nil, clockHighWater: mark).fitness))
        // The 1970 wake-up of a Pi without an RTC.
        #expect(isClockUntrusted(clock.assess(systemNow: Date(timeIntervalSince1970: 0), manifest: nil, clockHighWater: mark).fitness))
        #expect(clock.assess(systemNow: mark, manifest: Self.manifest, clockHighWater: mark).fitness == .fit)
        #expect(clock.assess(systemNow: mark.addingTimeInterval(-200), manifest: Self.manifest, clockHighWater: mark).fitness == .fit)
        // Nothing known: nothing to compare with.
        #expect(clock.assess(systemNow: Date(timeIntervalSince1970: 0), manifest: nil, clockHighWater: nil).fitness == .fit)
    }

    @Test("untrusted clock wins over staleness and over the warn policy")
    func untrustedBeatsWarn() {
        let clock = TrustedClock(maximumAge: 1, stalePolicy: .warn)
        let mark = Self.manifest.notAfter.addingTimeInterval(86_400)
        let assessment = clock.assess(systemNow: mark.addingTimeInterval(-86_400 * 2), manifest: Self.manifest, clockHighWater: mark)
        #expect(isClockUntrusted(assessment.fitness))
    }

    @Test("past notAfter: trust-stale with policy fail")
    func pastNotAfterFails() {
        let assessment = TrustedClock(stalePolicy: .fail).assess(
            systemNow: Self.manifest.notAfter.addingTimeInterval(1), manifest: Self.manifest, clockHighWater: nil)
        #expect(isStale(assessment.fitness), "\(assessment.fitness)")
        #expect(assessment.warnings.isEmpty)
        // At notAfter exactly: still fit.
        #expect(TrustedClock().assess(systemNow: Self.manifest.notAfter, manifest: Self.manifest, clockHighWater: nil).fitness == .fit)
    }

    @Test("past notAfter: fit with a warning with policy warn")
    func pastNotAfterWarns() {
        let assessment = TrustedClock(stalePolicy: .warn).assess(
            systemNow: Self.manifest.notAfter.addingTimeInterval(86_400), manifest: Self.manifest, clockHighWater: nil)
        #expect(assessment.fitness == .fit)
        #expect(assessment.warnings.count == 1)
        #expect(assessment.warnings.first?.contains("12") == true, "names the bundle sequence: \(assessment.warnings)")
    }

    @Test("older than maximumAge: stale before notAfter")
    func maximumAge() {
        let clock = TrustedClock(maximumAge: 7 * 86_400)
        let young = clock.assess(systemNow: Self.issuedAt.addingTimeInterval(6 * 86_400), manifest: Self.manifest, clockHighWater: nil)
        #expect(young.fitness == .fit)
        let old = clock.assess(systemNow: Self.issuedAt.addingTimeInterval(8 * 86_400), manifest: Self.manifest, clockHighWater: nil)
        #expect(isStale(old.fitness), "\(old.fitness)")
        let warned = TrustedClock(maximumAge: 7 * 86_400, stalePolicy: .warn)
            .assess(systemNow: Self.issuedAt.addingTimeInterval(8 * 86_400), manifest: Self.manifest, clockHighWater: nil)
        #expect(warned.fitness == .fit && warned.warnings.count == 1)
    }

    @Test("stale or untrusted fails a verdict that would otherwise pass")
    func fitnessFailsVerdicts() throws {
        let issuer = TSFixture.issuers[0]
        let payload = try issuer.hc1(TestCredential())
        let verifier = HC1Verifier(trustList: issuer.trustList)
        #expect(verifier.verify(payload: payload, in: VerificationContext(now: TestCredential.validAt)).verdict == .pass)
        for fitness: VerificationContext.Fitness in [.trustStale("x"), .clockUntrusted("y")] {
            let report = verifier.verify(payload: payload, in: VerificationContext(now: TestCredential.validAt, fitness: fitness))
            #expect(report.verdict != .pass, "\(fitness)")
            #expect(report.steps[.trust]?.description.hasPrefix("failed:") == true)
        }
    }

    @Test("recordClock only moves forward and respects the granularity")
    func recordClock() throws {
        let temporary = try TemporaryDirectory("clock")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        #expect(store.clockHighWater() == nil)
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        try store.recordClock(start)
        #expect(store.clockHighWater() == start)

        // Backwards: ignored.
        try store.recordClock(start.addingTimeInterval(-86_400))
        #expect(store.clockHighWater() == start)
        // Forward by less than the granularity: not written.
        try store.recordClock(start.addingTimeInterval(59), granularity: 60)
        #expect(store.clockHighWater() == start)
        // Forward by the granularity or more: written.
        try store.recordClock(start.addingTimeInterval(60), granularity: 60)
        #expect(store.clockHighWater() == start.addingTimeInterval(60))
        try store.recordClock(start.addingTimeInterval(3_600), granularity: 600)
        #expect(store.clockHighWater() == start.addingTimeInterval(3_600))
        try store.recordClock(start.addingTimeInterval(3_600 + 599), granularity: 600)
        #expect(store.clockHighWater() == start.addingTimeInterval(3_600))
        // Backwards with granularity 0: still ignored.
        try store.recordClock(start, granularity: 0)
        #expect(store.clockHighWater() == start.addingTimeInterval(3_600))

        // Whole seconds on disk, written atomically: only the mark file, no temporaries.
        #expect(Set(try TSDirectory.snapshot(store.path).keys) == ["clock.high-water", ".lock"])
        #expect(try TSDirectory.bytes(temporary.file("state/clock.high-water")) == Array("1700003600\n".utf8))
        // A fractional time is stored truncated, and never ahead of the real time.
        try store.recordClock(start.addingTimeInterval(7_200.9), granularity: 60)
        let mark = try #require(store.clockHighWater())
        #expect(mark <= start.addingTimeInterval(7_200.9))
        #expect(mark == start.addingTimeInterval(7_200))
    }

    @Test("a garbage high-water file reads as none")
    func garbageMark() throws {
        let temporary = try TemporaryDirectory("clock")
        try temporary.directory("state")
        try temporary.write("state/clock.high-water", Array("yesterday\n".utf8))
        #expect(TrustStoreDirectory(path: temporary.file("state")).clockHighWater() == nil)
    }
}
