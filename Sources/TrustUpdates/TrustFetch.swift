import DaemonSupport
import FoundationEssentials
import GateCheckCrypto
import SystemCalls
import SystemPackage
import TrustStore

/// `gatecheck trust fetch`: download the bundle at `url` into a temporary file in the state directory, then
/// install it through exactly the import a USB stick gets (``TrustStoreDirectory/install(from:anchors:now:)``:
/// signature, chain, rollback, atomic install), and record the outcome in ``TrustFetchState``.
///
/// One fetch at a time per state directory (an flock on `.fetch.lock`), so the timer's run and a technician's
/// cannot interleave their state updates. The temporary file is removed in every case.
public struct TrustFetch: Sendable {
    public var url: String
    /// The full bundle, for when `url` is a delta that does not fit the installed base (after the publisher's
    /// re-issue, or on a gate without a base) or is not published: fetched right after such a refusal.
    public var fullURL: String?
    public var store: TrustStoreDirectory
    public var anchors: [Certificate]
    public var download: HTTPSDownload
    public var clock: WallClock

    public init(
        url: String, fullURL: String? = nil, store: TrustStoreDirectory, anchors: [Certificate], caFile: String?, limits: HTTPSDownload.Limits,
        clock: WallClock = .system
    ) {
        self.url = url
        self.fullURL = fullURL
        self.store = store
        self.anchors = anchors
        download = HTTPSDownload(url: url, caFile: caFile, limits: limits)
        self.clock = clock
    }

    public enum Outcome: Sendable {
        /// A newer bundle was downloaded and installed.
        case installed(VerifiedBundle)
        /// The server offers the installed sequence again.
        case current(sequence: UInt64)
        /// 304: the server still has what was installed from it.
        case notModified(sequence: UInt64?)
        /// The download failed; nothing reached the store.
        case downloadFailed(TrustUpdateError)
        /// The download arrived but the import refused it, as it would refuse it from a stick.
        case refused(TrustStoreError)

        /// The word the fetch-state file, `gatecheck status` and Prometheus show.
        public var code: String {
            switch self {
            case .installed: TrustFetchState.Outcome.installed.rawValue
            case .current: TrustFetchState.Outcome.current.rawValue
            case .notModified: TrustFetchState.Outcome.notModified.rawValue
            case .downloadFailed(let error): error.code.description
            case .refused(let error): error.code.description
            }
        }
    }

    /// What a run did, and whether its state could be recorded.
    public struct Report: Sendable {
        public let outcome: Outcome
        /// The URL the outcome is about: the full bundle's after a fallback from the delta.
        public let source: String
        public let state: TrustFetchState
        /// Set when the fetch-state file could not be written (the outcome stands; the next run may come early).
        public let stateWriteError: DaemonSupportError?
    }

    static let temporaryPrefix = ".fetch-"

    /// Fetches, installs and records; then the full bundle if `url`'s delta did not fit. Never throws: every
    /// failure is an outcome with its code.
    public func run() -> Report {
        let first = attempt(download, isFullBundle: false)
        guard let fullURL, fullURL != url, Self.needsFullBundle(first.outcome) else { return first }
        var full = download
        full.url = fullURL
        return attempt(full, isFullBundle: true)
    }

    /// A delta for another base (or for none), or no delta published: only the full bundle can help.
    static func needsFullBundle(_ outcome: Outcome) -> Bool {
        switch outcome {
        case .refused(let error): error.code == .deltaBaseMismatch
        case .downloadFailed(let error): error.code == .httpStatus
        default: false
        }
    }

    /// One download and import. The outcome is recorded for `url` (what backoff and the status follow); the
    /// fallback's validators are kept apart, under the full bundle's URL.
    private func attempt(_ download: HTTPSDownload, isFullBundle: Bool) -> Report {
        let url = download.url
        func finish(_ outcome: Outcome, previous: TrustFetchState, validators: HTTPSDownload.Validators? = nil) -> Report {
            self.record(outcome, previous: previous, validators: validators, fullURL: isFullBundle ? url : nil)
        }
        let lock: FileDescriptor
        do {
            lock = try lockStateDirectory()
        } catch {
            return finish(.downloadFailed(error), previous: TrustFetchState.read(stateDirectory: store.path) ?? TrustFetchState())
        }
        defer { SystemCall.close(lock) }
        let previous = TrustFetchState.read(stateDirectory: store.path) ?? TrustFetchState()
        removeLeftoverTemporaryFiles()
        // Validators only for the URL they came from, and only while the store still holds a bundle: a 304
        // must never stand in for a bundle that is gone.
        let stored =
            isFullBundle
            ? (url: previous.fullURL, etag: previous.fullETag, lastModified: previous.fullLastModified)
            : (url: previous.url, etag: previous.etag, lastModified: previous.lastModified)
        let conditional = stored.url == url && (stored.etag != nil || stored.lastModified != nil)
            && FileManager.default.fileExists(atPath: store.bundlePath)
        let validators = conditional ? HTTPSDownload.Validators(etag: stored.etag, lastModified: stored.lastModified) : nil

        let temporary = store.path + "/" + Self.temporaryPrefix + "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? Files.remove(temporary) }
        let response: HTTPSDownload.Response
        do {
            let output = try mapped { () throws(SystemCallError) in
                try Files.open(
                    temporary, .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec], permissions: [.ownerReadWrite])
            }
            defer { SystemCall.close(output) }
            response = try download.get(into: output, outputPath: temporary, ifChangedFrom: validators)
        } catch {
            return finish(.downloadFailed(error), previous: previous)
        }
        switch response {
        case .notModified:
            return finish(.notModified(sequence: store.installedSequence()), previous: previous)
        case .body(_, let found):
            let now = clock.now()
            do {
                let installed = try store.install(from: temporary, anchors: anchors, now: now)
                // As after a stick's import: the import's own time is a time seen.
                try? store.recordClock(now, granularity: 0)
                return finish(.installed(installed), previous: previous, validators: found)
            } catch where error.code == .rollback {
                // Refused as a rollback only after the signer and signature checked out: the installed bundle's own
                // sequence is that bundle again. (A store whose bundle is gone keeps its mark, and is not current.)
                // A delta URL offers the installed delta again.
                if let offered = try? TrustBundleInspection.manifest(path: temporary).sequence,
                    [store.bundlePath, store.deltaPath].contains(where: { offered == (try? TrustBundleInspection.manifest(path: $0).sequence) })
                {
                    return finish(.current(sequence: offered), previous: previous, validators: found)
                }
                return finish(.refused(error.replacingPath(temporary, with: url)), previous: previous)
            } catch {
                return finish(.refused(error.replacingPath(temporary, with: url)), previous: previous)
            }
        }
    }

    private func record(_ outcome: Outcome, previous: TrustFetchState, validators: HTTPSDownload.Validators?, fullURL: String?) -> Report {
        let now = Int64(clock.now().timeIntervalSince1970)
        let state = previous.recording(
            outcome.code, url: url, at: now, etag: validators?.etag, lastModified: validators?.lastModified, fullURL: fullURL)
        do {
            try state.write(stateDirectory: store.path)
            return Report(outcome: outcome, source: fullURL ?? url, state: state, stateWriteError: nil)
        } catch {
            return Report(outcome: outcome, source: fullURL ?? url, state: state, stateWriteError: error)
        }
    }

    /// The state directory (made if missing, as an import would) and an exclusive flock on `.fetch.lock` in it.
    private func lockStateDirectory() throws(TrustUpdateError) -> FileDescriptor {
        try mapped { () throws(SystemCallError) in
            try Files.createDirectory(store.path, permissions: [.ownerReadWriteExecute, .groupReadExecute])
            return try Files.openLocked(store.path + "/.fetch.lock")
        }
    }

    /// A download a killed fetch left behind (we hold the lock, so no other fetch is writing one).
    private func removeLeftoverTemporaryFiles() {
        for name in (try? Files.listDirectory(store.path)) ?? [] where name.hasPrefix(Self.temporaryPrefix) {
            try? Files.remove(store.path + "/" + name)
        }
    }

    private func mapped<Result>(_ body: () throws(SystemCallError) -> Result) throws(TrustUpdateError) -> Result {
        try SystemCallError.mapping({ TrustUpdateError(.systemCall, $0.description) }, body)
    }
}

extension TrustStoreError {
    /// The same refusal naming the URL instead of our private temporary file.
    func replacingPath(_ path: String, with name: String) -> TrustStoreError {
        TrustStoreError(code, detail.replacing(path, with: name))
    }
}
