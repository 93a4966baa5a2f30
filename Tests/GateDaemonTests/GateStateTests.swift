import DaemonSupport
import Frames
import GateVocabulary
@testable import GateDaemon
import SystemCalls
import Testing

/// The gate's transitions on their own: instants are made up, effects are only returned.
@Suite("Gate state")
struct GateStateTests {
    static let t0 = MonotonicInstant(nanoseconds: 1_000_000_000_000)
    static let period: Duration = .seconds(10)

    static func at(_ offset: Duration) -> MonotonicInstant {
        t0.advanced(by: offset)
    }

    /// Started up: trust judged, then one frame (which also fed the watchdog at `t0`).
    static func ready() -> GateState {
        var state = GateState()
        _ = state.trustJudged()
        _ = state.frameScanned(at: t0, watchdogPeriod: period)
        return state
    }

    // MARK: Readiness

    @Test func startsWithNothingSeen() {
        let state = GateState()
        #expect(!state.framesSeen && !state.trustChecked && !state.readySent && !state.cameraLost && !state.importShown)
        #expect(state.lastWatchdogFeed == nil)
        #expect(state.loggedWarnings.isEmpty)
        #expect(state.shownState(faults: []) == .starting)
    }

    @Test func framesBeforeTrustWaitForTheTrustCheck() {
        var state = GateState()
        #expect(state.frameScanned(at: Self.t0, watchdogPeriod: nil) == [])
        #expect(state.framesSeen && !state.readySent)
        #expect(state.frameScanned(at: Self.at(.seconds(1)), watchdogPeriod: nil) == [])
        #expect(state.trustJudged() == [.announceReady])
        #expect(state.readySent && state.trustChecked)
        #expect(state.trustJudged() == [])
        #expect(state.frameScanned(at: Self.at(.seconds(2)), watchdogPeriod: nil) == [])
    }

    @Test func trustBeforeFramesWaitsForAFrame() {
        var state = GateState()
        #expect(state.trustJudged() == [])
        #expect(state.trustChecked && !state.readySent)
        #expect(state.trustJudged() == [])
        #expect(state.frameScanned(at: Self.t0, watchdogPeriod: nil) == [.announceReady])
        #expect(state.readySent)
        #expect(state.frameScanned(at: Self.at(.seconds(1)), watchdogPeriod: nil) == [])
        #expect(state.trustJudged() == [])
    }

    @Test func aCameraFaultBeforeStartUpDoesNotMakeItReady() {
        var state = GateState()
        _ = state.cameraFailed(FrameSourceError(.deviceLost, "gone"))
        #expect(state.trustJudged() == [])
        #expect(!state.readySent)
        #expect(state.frameScanned(at: Self.t0, watchdogPeriod: nil) == [.clearCameraFaults, .announceReady])
    }

    // MARK: Camera

    @Test(arguments: [
        (FrameSourceError.Code.timeout, StatusSnapshot.Fault.cameraStalled),
        (.deviceLost, .cameraLost), (.ioFailure, .cameraLost),
        (.notACamera, .cameraUnusable), (.noUsableFormat, .cameraUnusable), (.unreadableInput, .cameraUnusable),
    ])
    func cameraErrorsMapToTheirFault(code: FrameSourceError.Code, fault: StatusSnapshot.Fault) {
        var state = GateState()
        let effects = state.cameraFailed(FrameSourceError(code, "detail"))
        #expect(effects.count == 1)
        guard case .showCameraFault(let shown, let error) = effects.first else {
            Issue.record("expected a camera fault, got \(effects)")
            return
        }
        #expect(shown == fault)
        #expect(error.code == code && error.detail == "detail")
        #expect(state.cameraLost)
    }

    @Test func cameraLostThenFramesAgainClearsTheFaultOnce() {
        var state = Self.ready()
        let error = FrameSourceError(.deviceLost, "unplugged")
        #expect(state.cameraFailed(error) == [.showCameraFault(.cameraLost, because: error)])
        #expect(state.cameraLost && state.readySent)
        // Another fault while down shows that one instead; frames still clear it once.
        let stalled = FrameSourceError(.timeout, "no frame")
        #expect(state.cameraFailed(stalled) == [.showCameraFault(.cameraStalled, because: stalled)])
        #expect(state.frameScanned(at: Self.at(.seconds(1)), watchdogPeriod: Self.period) == [.clearCameraFaults])
        #expect(!state.cameraLost)
        #expect(state.frameScanned(at: Self.at(.seconds(2)), watchdogPeriod: Self.period) == [])
    }

    @Test func aReturningCameraClearsBeforeAnnouncingAndFeeding() {
        var state = GateState()
        _ = state.trustJudged()
        _ = state.cameraFailed(FrameSourceError(.timeout, "stalled"))
        #expect(
            state.frameScanned(at: Self.t0, watchdogPeriod: Self.period) == [.clearCameraFaults, .announceReady, .feedWatchdog])
    }

    // MARK: Watchdog

    @Test func watchdogIsFedOncePerPeriodFromTheBoundaryOn() {
        var state = GateState()
        #expect(state.frameScanned(at: Self.t0, watchdogPeriod: Self.period) == [.feedWatchdog])
        #expect(state.lastWatchdogFeed == Self.t0)
        #expect(state.frameScanned(at: Self.t0, watchdogPeriod: Self.period) == [])
        #expect(state.frameScanned(at: Self.at(Self.period - .nanoseconds(1)), watchdogPeriod: Self.period) == [])
        #expect(state.lastWatchdogFeed == Self.t0)
        #expect(state.frameScanned(at: Self.at(Self.period), watchdogPeriod: Self.period) == [.feedWatchdog])
        #expect(state.lastWatchdogFeed == Self.at(Self.period))
        // The next period counts from the last feed, not from the first.
        #expect(state.frameScanned(at: Self.at(.seconds(15)), watchdogPeriod: Self.period) == [])
        #expect(state.frameScanned(at: Self.at(.seconds(20)), watchdogPeriod: Self.period) == [.feedWatchdog])
    }

    @Test func watchdogIsNotFedWhenNoneIsArmed() {
        var state = GateState()
        #expect(state.frameScanned(at: Self.t0, watchdogPeriod: nil) == [])
        #expect(state.frameScanned(at: Self.at(.seconds(100)), watchdogPeriod: nil) == [])
        #expect(state.lastWatchdogFeed == nil)
    }

    @Test func anEarlierInstantDoesNotFeedTheWatchdog() {
        var state = GateState()
        _ = state.frameScanned(at: Self.t0, watchdogPeriod: Self.period)
        #expect(state.frameScanned(at: Self.at(.seconds(-20)), watchdogPeriod: Self.period) == [])
        #expect(state.lastWatchdogFeed == Self.t0)
    }

    @Test func onlyFramesFeedTheWatchdog() {
        var state = GateState()
        var effects = state.trustJudged()
        effects += state.cameraFailed(FrameSourceError(.deviceLost, "gone"))
        effects += state.trustWarned(["expires soon"])
        effects += state.importReported(.running, age: .seconds(1))
        effects += state.importReported(.installed(sequence: 2), age: .seconds(2))
        #expect(!effects.contains(.feedWatchdog))
        #expect(state.lastWatchdogFeed == nil)
    }

    // MARK: Trust warnings

    @Test func aWarningIsLoggedOnceUntilTheNextBundle() {
        var state = Self.ready()
        #expect(state.trustWarned(["a", "b"]) == [.logTrustWarning("a"), .logTrustWarning("b")])
        #expect(state.trustWarned(["a", "b"]) == [])
        #expect(state.trustWarned(["b", "c", "c"]) == [.logTrustWarning("c")])
        #expect(state.loggedWarnings == ["a", "b", "c"])
        state.trustLoaded()
        #expect(state.loggedWarnings.isEmpty)
        #expect(state.trustWarned(["a"]) == [.logTrustWarning("a")])
        #expect(state.readySent)
    }

    @Test func noWarningsNoEffects() {
        var state = GateState()
        #expect(state.trustWarned([]) == [])
        #expect(state.loggedWarnings.isEmpty)
    }

    // MARK: Imports

    @Test func aRunningImportIsLoggedOnceAndShownEveryRound() {
        var state = GateState()
        #expect(state.importReported(.running, age: .seconds(1)) == [.logImportStarted, .showImportRunning])
        #expect(state.importShown)
        #expect(state.importReported(.running, age: .seconds(2)) == [.showImportRunning])
        #expect(state.importReported(.installed(sequence: 7), age: .seconds(3)) == [.importInstalled(sequence: 7)])
        #expect(!state.importShown)
        // A second import is announced again.
        #expect(state.importReported(.running, age: .zero) == [.logImportStarted, .showImportRunning])
        #expect(state.importReported(.refused(code: "rollback"), age: .seconds(1)) == [.importRefused(code: "rollback")])
        #expect(!state.importShown)
    }

    @Test func anImportIsAbandonedAtTheLimit() {
        var state = GateState()
        let limit = GateState.abandonedImport
        #expect(state.importReported(.running, age: limit - .nanoseconds(1)) == [.logImportStarted, .showImportRunning])
        #expect(state.importReported(.running, age: limit) == [.abandonImport(age: limit)])
        #expect(!state.importShown)
        #expect(state.importReported(.running, age: limit + .seconds(1)) == [.abandonImport(age: limit + .seconds(1))])
    }

    @Test func anOutcomeWithoutARunningReportIsStillShown() {
        var state = GateState()
        #expect(state.importReported(.refused(code: "bad-signature"), age: .zero) == [.importRefused(code: "bad-signature")])
        #expect(state.importReported(.installed(sequence: 3), age: .zero) == [.importInstalled(sequence: 3)])
        #expect(state == GateState())
    }

    // MARK: Shown state

    @Test func aFaultOutranksReadiness() {
        let starting = GateState()
        let ready = Self.ready()
        #expect(starting.shownState(faults: []) == .starting)
        #expect(ready.shownState(faults: []) == .ready)
        #expect(starting.shownState(faults: [.trustMissing]) == .fault)
        #expect(ready.shownState(faults: [.cameraLost, .rulesStale]) == .fault)
    }
}
