import DaemonSupport
import GateCheckTestSupport
import Testing

/// When `--if-due` fetches (the timer's runs), with the clock given as numbers: the interval after a success,
/// exponential backoff after failures, and the state file's text.
@Suite struct TrustFetchStateTests {
    static let url = "https://trust.example/gatecheck-trust.bundle"
    static let hour: Int64 = 3_600
    static let start: Int64 = 1_800_000_000

    static func after(_ outcomes: [String], from start: Int64 = start, every step: Int64 = 10) -> TrustFetchState {
        var state = TrustFetchState()
        for (index, outcome) in outcomes.enumerated() {
            state = state.recording(outcome, url: url, at: start + Int64(index) * step, etag: "\"e\(index)\"", lastModified: "Mon, 01 Dec 2026 00:00:00 GMT")
        }
        return state
    }

    @Test func neverFetchedIsDue() {
        #expect(TrustFetchState().isDue(url: Self.url, now: Self.start, interval: Self.hour))
        #expect(TrustFetchState().nextDue(interval: Self.hour) == nil)
    }

    @Test func aSuccessWaitsTheInterval() {
        let state = Self.after(["installed"])
        #expect(!state.isDue(url: Self.url, now: Self.start + Self.hour - 1, interval: Self.hour))
        #expect(state.isDue(url: Self.url, now: Self.start + Self.hour, interval: Self.hour))
        #expect(!Self.after(["not-modified"]).isDue(url: Self.url, now: Self.start + 60, interval: Self.hour))
    }

    @Test(arguments: [(1, 60), (2, 120), (3, 240), (6, 1_920), (7, 3_600), (40, 3_600), (200, 3_600)])
    func failuresBackOffExponentiallyUpToTheInterval(_ failures: Int, _ wait: Int64) {
        let state = Self.after(["installed"] + Array(repeating: "fetch-timeout", count: failures))
        let lastAttempt = state.lastAttempt!
        #expect(state.failures == UInt64(failures))
        #expect(state.nextDue(interval: Self.hour) == lastAttempt + wait)
        #expect(!state.isDue(url: Self.url, now: lastAttempt + wait - 1, interval: Self.hour))
        #expect(state.isDue(url: Self.url, now: lastAttempt + wait, interval: Self.hour))
    }

    @Test func anotherURLOrAClockThatWentBackIsDueAtOnce() {
        let state = Self.after(["installed"])
        #expect(state.isDue(url: "https://other.example/b", now: Self.start + 1, interval: Self.hour))
        #expect(state.isDue(url: Self.url, now: Self.start - 1, interval: Self.hour))
    }

    @Test func validatorsChangeOnlyWithWhatIsInstalled() {
        let installed = Self.after(["installed"])
        #expect(installed.etag == "\"e0\"")
        let refused = installed.recording("bad-signature", url: Self.url, at: Self.start + 100, etag: "\"bad\"")
        #expect(refused.etag == "\"e0\"" && refused.failures == 1 && refused.lastSuccess == Self.start && refused.outcome == "bad-signature")
        let unchanged = refused.recording("not-modified", url: Self.url, at: Self.start + 200)
        #expect(unchanged.etag == "\"e0\"" && unchanged.failures == 0 && unchanged.lastSuccess == Self.start + 200)
        let moved = unchanged.recording("fetch-connect", url: "https://other.example/b", at: Self.start + 300)
        #expect(moved.etag == nil && moved.lastSuccess == nil && moved.failures == 1 && moved.url == "https://other.example/b")
    }

    /// The fallback's outcome counts for the delta URL (backoff, status); its validators are the full bundle's own.
    @Test func theFullBundlesValidatorsAreKeptApart() {
        let full = "https://trust.example/full.bundle"
        let fellBack = Self.after(["delta-base-mismatch"]).recording("installed", url: Self.url, at: Self.start + 10, etag: "\"f\"", fullURL: full)
        #expect(fellBack.url == Self.url && fellBack.failures == 0 && fellBack.lastSuccess == Self.start + 10)
        #expect(fellBack.fullURL == full && fellBack.fullETag == "\"f\"" && fellBack.etag == nil)
        let deltaNext = fellBack.recording("installed", url: Self.url, at: Self.start + 20, etag: "\"d\"")
        #expect(deltaNext.etag == "\"d\"" && deltaNext.fullETag == "\"f\"")
        #expect(TrustFetchState(text: deltaNext.text) == deltaNext)
        let otherFull = deltaNext.recording("fetch-http-status", url: Self.url, at: Self.start + 30, fullURL: "https://trust.example/other")
        #expect(otherFull.fullURL == "https://trust.example/other" && otherFull.fullETag == nil && otherFull.etag == "\"d\"")
    }

    @Test func theFileRoundTripsAndKeepsNoLineBreaksOrFreeText() throws {
        let state = Self.after(["installed", "fetch-timeout"])
        #expect(TrustFetchState(text: state.text) == state)
        let hostile = state.recording("installed", url: Self.url, at: Self.start + 100, etag: "\"a\"\r\nX-Injected: 1", lastModified: "ok")
        #expect(hostile.etag == nil && hostile.lastModified == "ok")
        #expect(state.recording("Not A Code!", url: Self.url, at: Self.start).outcome == "invalid")
        let parsed = TrustFetchState(text: "url \(Self.url)\nfailures twelve\noutcome Free Text\nnewer-key 1\nlast-attempt 42\n")
        #expect(parsed.url == Self.url && parsed.failures == 0 && parsed.outcome == nil && parsed.lastAttempt == 42)

        let folder = try TemporaryDirectory("fetch-state")
        #expect(TrustFetchState.read(stateDirectory: folder.path) == nil)
        try state.write(stateDirectory: folder.path)
        #expect(TrustFetchState.read(stateDirectory: folder.path) == state)
    }

    @Test(arguments: [
        ("https://trust.example/b", true), ("HTTPS://trust.example:8443/b?x=1", true), ("http://trust.example/b", false),
        ("https:///b", false), ("https://trust.example/a b", false), ("ftp://trust.example/b", false), ("https://", false),
        ("https://user:secret@trust.example/b", false),
    ])
    func onlyHTTPSURLsWithAHost(_ url: String, _ acceptable: Bool) {
        #expect((TrustFetchState.httpsURLProblem(url) == nil) == acceptable)
    }
}
