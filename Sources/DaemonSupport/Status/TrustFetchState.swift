import SystemCalls

/// What `gatecheck trust fetch` remembers between runs, in `fetch-state` in the state directory: the
/// validators for the next conditional GET, the last attempt and its outcome, and the failures in a row
/// that set the backoff. The daemon reads the same file to show the outcome (`gatecheck status`, Prometheus),
/// which is why it lives here and not beside libcurl.
///
/// One `key value` line per field; values are single-line printable ASCII, so the file can never carry
/// free text or a line break into a header, a log line or a label. Anything unreadable reads as "never fetched".
public struct TrustFetchState: Sendable, Hashable {
    public static let fileName = "fetch-state"
    /// The file is tiny; a cap keeps a planted large file from being read whole.
    static let maximumFileSize = 8 * 1024
    /// Longest URL, ETag or Last-Modified kept (longer ones are not stored, so not sent back).
    public static let maximumValueLength = 2_048

    /// The URL fetched first (the delta's, when there is one), which the validators belong to.
    public var url: String?
    public var etag: String?
    public var lastModified: String?
    /// The full bundle's URL when `url` is a delta's, with its own validators: a gate that falls back to the full
    /// bundle must not download it whole again each time only because the delta URL came first.
    public var fullURL: String?
    public var fullETag: String?
    public var fullLastModified: String?
    /// Seconds since 1970 of the last attempt and of the last one that ended with the newest bundle installed.
    public var lastAttempt: Int64?
    public var lastSuccess: Int64?
    /// The last attempt's outcome code: a success word (``Outcome``) or a failure's reason code.
    public var outcome: String?
    /// Failed attempts since the last success.
    public var failures: UInt64 = 0

    public init() {}

    /// The words a successful fetch records; every other outcome is a failure's reason code.
    public enum Outcome: String, Sendable, CaseIterable {
        /// A newer bundle was downloaded and installed.
        case installed
        /// The server's bundle is the one installed (same sequence).
        case current
        /// 304 Not Modified: the server still has what was installed from it.
        case notModified = "not-modified"
    }

    /// Whether `outcome` says the store holds the newest bundle.
    public var succeeded: Bool { outcome.map { Outcome(rawValue: $0) != nil } ?? false }

    // MARK: Backoff

    /// The first retry after a failure waits this long; each further failure doubles it, up to the interval.
    public static let firstRetry: Int64 = 60

    /// When the next fetch is due (seconds since 1970): `interval` after the last success, or after failures
    /// `min(interval, 60 s × 2^(failures−1))` after the last attempt. Never fetched: now.
    public func nextDue(interval: Int64) -> Int64? {
        guard let lastAttempt else { return nil }
        guard failures > 0 else { return (lastSuccess ?? lastAttempt) + interval }
        let doublings = min(failures - 1, 32)
        let backoff = Self.firstRetry.multipliedReportingOverflow(by: 1 << Int64(doublings))
        return lastAttempt + (backoff.overflow ? interval : min(interval, backoff.partialValue))
    }

    /// Whether a fetch for `url` is due at `now`. A changed URL, or a clock that went back before the last
    /// attempt, makes it due at once rather than waiting on times that no longer mean anything.
    public func isDue(url: String, now: Int64, interval: Int64) -> Bool {
        guard let due = nextDue(interval: interval), self.url == url, let lastAttempt, now >= lastAttempt else { return true }
        return now >= due
    }

    /// The state after an attempt that ended with `outcome` (a success word or a failure code) at `now`.
    /// Validators change only when the store now holds the server's bundle; a refused download keeps the old ones.
    /// `fullURL` is set when the attempt was the fallback to the full bundle: the outcome counts for `url`, the
    /// validators go to the full bundle's.
    public func recording(
        _ outcome: String, url: String, at now: Int64, etag: String? = nil, lastModified: String? = nil, fullURL: String? = nil
    ) -> TrustFetchState {
        var next = self
        if next.url != url {
            next = TrustFetchState()
            next.url = url
        }
        if let fullURL, next.fullURL != fullURL {
            (next.fullURL, next.fullETag, next.fullLastModified) = (fullURL, nil, nil)
        }
        next.lastAttempt = now
        next.outcome = ImportProgress.isReasonCode(outcome) ? outcome : "invalid"
        if Outcome(rawValue: outcome) != nil {
            next.lastSuccess = now
            next.failures = 0
            if outcome != Outcome.notModified.rawValue {
                if fullURL != nil {
                    next.fullETag = etag.flatMap(Self.storable)
                    next.fullLastModified = lastModified.flatMap(Self.storable)
                } else {
                    next.etag = etag.flatMap(Self.storable)
                    next.lastModified = lastModified.flatMap(Self.storable)
                }
            }
        } else {
            next.failures = next.failures == .max ? .max : next.failures + 1
        }
        return next
    }

    // MARK: The file

    public var text: String {
        var lines: [String] = []
        func add(_ key: String, _ value: String?) {
            if let value = value.flatMap(Self.storable) { lines.append("\(key) \(value)") }
        }
        add("url", url)
        add("etag", etag)
        add("last-modified", lastModified)
        add("full-url", fullURL)
        add("full-etag", fullETag)
        add("full-last-modified", fullLastModified)
        add("last-attempt", lastAttempt.map(String.init))
        add("last-success", lastSuccess.map(String.init))
        add("outcome", outcome)
        add("failures", String(failures))
        return lines.map { $0 + "\n" }.joined()
    }

    /// Parses the file's text; lines it does not know are skipped (a newer version may add some), a value that
    /// does not fit its field is dropped.
    public init(text: String) {
        self.init()
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let key = line[..<space]
            guard let value = Self.storable(String(line[line.index(after: space)...])) else { continue }
            switch key {
            case "url": url = value
            case "etag": etag = value
            case "last-modified": lastModified = value
            case "full-url": fullURL = value
            case "full-etag": fullETag = value
            case "full-last-modified": fullLastModified = value
            case "last-attempt": lastAttempt = Int64(value)
            case "last-success": lastSuccess = Int64(value)
            case "outcome": outcome = ImportProgress.isReasonCode(value) ? value : nil
            case "failures": failures = UInt64(value) ?? 0
            default: continue
            }
        }
    }

    /// `fetch-state` in `stateDirectory`; nil when there is none (never fetched) or it cannot be read.
    public static func read(stateDirectory: String) -> TrustFetchState? {
        guard let bytes = try? SystemCallMapping.readRegularFile(path(in: stateDirectory), limit: maximumFileSize, noFollow: true) else {
            return nil
        }
        return TrustFetchState(text: String(decoding: bytes, as: UTF8.self))
    }

    /// Replaces the file atomically.
    public func write(stateDirectory: String) throws(DaemonSupportError) {
        try TextfileWriter(path: Self.path(in: stateDirectory)).write(text)
    }

    public static func path(in stateDirectory: String) -> String { stateDirectory + "/" + fileName }

    /// A value as the file keeps it: printable ASCII on one line, at most `maximumValueLength` bytes; else nil.
    public static func storable(_ value: String) -> String? {
        guard !value.isEmpty, value.utf8.count <= maximumValueLength, value.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        return value
    }

    // MARK: URLs

    /// Why `url` is not a URL to fetch trust from, or nil when it is: `https://` and a host without credentials
    /// (the URL is printed, recorded and shown in the status), printable ASCII without spaces, at most
    /// `maximumValueLength` bytes. Shared by the configuration and the fetch.
    public static func httpsURLProblem(_ url: String) -> String? {
        guard url.utf8.count <= maximumValueLength else { return "is longer than \(maximumValueLength) bytes" }
        guard url.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return "must be printable ASCII without spaces" }
        guard url.lowercased().hasPrefix("https://") else { return "must be an https:// URL (plain HTTP is refused)" }
        let host = url.dropFirst("https://".count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty else { return "has no host" }
        guard !host.contains("@") else { return "must not carry a user name or password" }
        return nil
    }
}
