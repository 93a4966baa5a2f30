import AdmissionRules
import DaemonSupport
import FoundationEssentials
import GateCheckCrypto
import GateVocabulary
import HealthCredentials
import ScanPipeline
import SystemCalls
import TrustStore

/// The gate's view of the installed trust store: the verifier in use, whether the device is fit to decide,
/// and reloads when the bundle file changes.
///
/// A reload verifies the bundle again (signature under the pinned anchors, hashes, contents) before it
/// replaces the one in use. If the new file does not verify, the previously verified trust stays in use and
/// the failure is reported; with nothing verified yet, every verdict fails and the fault lamp blinks.
final class TrustKeeper: @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `lock`.

    /// What one reload attempt found.
    enum ReloadOutcome: Sendable {
        /// `warning`: an installed delta was left out (it names another base).
        case loaded(sequence: UInt64, signers: Int, warning: String?)
        case unchanged
        case failed(StatusSnapshot.Fault, String)
    }

    let store: TrustStoreDirectory
    let anchorsDirectory: String
    private let clock: TrustedClock
    private let clockSkew: TimeInterval
    /// The country of arrival whose bundle rules decide admission; nil: a pass means authentic.
    private let admission: (country: String, region: String?)?
    /// The formats the gate accepts (`[policy] formats`), and which `hc1` credentials (`[policy] profiles`).
    private let acceptedFormats: Set<CredentialFormat>
    private let acceptedProfiles: Set<CredentialProfile>
    private let lock = ConditionLock()
    // Guarded by `lock`.
    private var installed: InstalledTrust?
    private var verifier = CredentialVerifier([])
    private var loadProblem: (fault: StatusSnapshot.Fault, detail: String)? = (.trustMissing, "not loaded yet")
    /// Of the base bundle and the delta.
    private var seenFingerprints: [FileFingerprint?] = []
    /// The files (device and inode) the trust in use was loaded from, base and delta: its tables are mapped from them.
    private var installedFiles: [(device: UInt64, inode: UInt64)] = []
    private var attempted = false
    private var reloads: UInt64 = 0
    /// The store's clock high-water mark, cached: decisions must not read a file.
    private var clockHighWater: Date?

    init(configuration: DaemonConfiguration) {
        store = TrustStoreDirectory(path: configuration.stateDirectory)
        anchorsDirectory = configuration.anchorsDirectory
        clock = TrustedClock(
            tolerance: configuration.trust.clockSkew.seconds,
            maximumAge: configuration.trust.maximumAge?.seconds,
            stalePolicy: configuration.trust.stale
        )
        clockSkew = configuration.trust.clockSkew.seconds
        admission = configuration.policy.arrivalCountry.map { ($0, configuration.policy.region) }
        acceptedFormats = Set(configuration.policy.formats)
        acceptedProfiles = Set(configuration.policy.profiles)
    }

    /// Loads the bundle if its file or the delta's changed since the last attempt (or always, with `force`: SIGHUP).
    func reload(force: Bool) -> ReloadOutcome {
        let fingerprints = [FileFingerprint.of(store.bundlePath), FileFingerprint.of(store.deltaPath)]
        let due: Bool = lock.withLock {
            defer { attempted = true }
            return force || !attempted || fingerprints != seenFingerprints
        }
        guard due else { return .unchanged }
        let outcome = load(exists: fingerprints[0] != nil)
        let highWater = store.clockHighWater()
        lock.withLock {
            seenFingerprints = fingerprints
            clockHighWater = highWater
            switch outcome {
            case .loaded(let trust):
                installed = trust
                installedFiles = fingerprints.prefix(trust.delta == nil ? 1 : 2).compactMap { $0.map { ($0.device, $0.inode) } }
                verifier = trust.verifier(admission: admissionPolicy(trust), acceptedFormats: acceptedFormats, acceptedProfiles: acceptedProfiles)
                loadProblem = nil
                reloads += 1
            case .failed(let fault, let detail):
                let inUse = fingerprints.compactMap { $0 }.contains { fingerprint in
                    installedFiles.contains { $0 == (fingerprint.device, fingerprint.inode) }
                }
                if inUse {
                    // A file in use changed in place (a flipped bit, a write behind the store's back): the
                    // trust in use reads its tables from that very file, so it cannot be believed any more.
                    installed = nil
                    installedFiles = []
                    verifier = CredentialVerifier([])
                    loadProblem = (fault, detail)
                } else if installed == nil {
                    // A new file that does not verify: verified trust already in use stays; only its absence is a fault.
                    loadProblem = (fault, detail)
                }
            }
        }
        switch outcome {
        case .loaded(let trust):
            return .loaded(sequence: trust.manifest.sequence, signers: trust.bundle.signers.count, warning: trust.ignoredDelta)
        case .failed(let fault, let detail):
            return .failed(fault, detail)
        }
    }

    private enum LoadResult {
        case loaded(InstalledTrust)
        case failed(StatusSnapshot.Fault, String)
    }

    private func load(exists: Bool) -> LoadResult {
        guard exists else {
            return .failed(.trustMissing, "no trust bundle installed in \(store.path)")
        }
        do {
            let anchors = try TrustAnchors.load(directory: anchorsDirectory)
            return .loaded(try store.load(anchors: anchors))
        } catch {
            return .failed(error.code == .notInstalled ? .trustMissing : .trustInvalid, error.description)
        }
    }

    /// The verifier and the context for a decision at `now`. Without usable trust, or with a stale bundle or
    /// an untrusted clock, the context's fitness makes every verdict fail.
    func decisionInputs(now: Date) -> (CredentialVerifier, VerificationContext) {
        let (verifier, fitness) = lock.withLock { () -> (CredentialVerifier, VerificationContext.Fitness) in
            if let loadProblem { return (self.verifier, .trustStale(loadProblem.detail)) }
            return (self.verifier, assessLocked(now: now).fitness)
        }
        return (verifier, VerificationContext(now: now, clockSkew: clockSkew, fitness: fitness))
    }

    /// The admission policy for `trust`: the bundle's rules of the configured country. A bundle without
    /// rules gets an empty set, so that every credential fails `rules-missing` rather than passing unchecked.
    private func admissionPolicy(_ trust: InstalledTrust) -> AdmissionPolicy? {
        guard let admission else { return nil }
        return AdmissionPolicy(
            rules: trust.bundle.rules ?? .empty, valueSets: trust.bundle.valueSets ?? .empty, arrivalCountry: admission.country,
            region: admission.region)
    }

    /// The rules fault at `now`, if any: configured rules the bundle lacks, or a certificate type whose
    /// rules all lapsed. The rules step fails those credentials; this makes the device show it.
    func rulesHealth(now: Date) -> (fault: StatusSnapshot.Fault, detail: String)? {
        guard let admission else { return nil }
        return lock.withLock { () -> (fault: StatusSnapshot.Fault, detail: String)? in
            guard let installed else { return nil }  // no trust at all is already a fault
            let country = admission.country
            let rules = installed.bundle.rules ?? .empty
            guard rules.rules.contains(where: { $0.country == country && $0.type == .acceptance }) else {
                return (.rulesMissing, "the installed bundle has no acceptance rules of \(country)")
            }
            let lapsed = rules.lapsedTypes(arrivalCountry: country, region: admission.region, at: now)
            guard lapsed.isEmpty else {
                return (.rulesStale, "the \(country) rules for \(lapsed.map(\.rawValue).joined(separator: ", ")) are no longer valid")
            }
            return nil
        }
    }

    /// The trust fault at `now`, if any, and any warnings the stale policy turned into log lines.
    func health(now: Date) -> (fault: StatusSnapshot.Fault?, detail: String?, warnings: [String]) {
        lock.withLock {
            if let loadProblem { return (loadProblem.fault, loadProblem.detail, []) }
            let assessment = assessLocked(now: now)
            switch assessment.fitness {
            case .fit: return (nil, nil, assessment.warnings)
            case .trustStale(let detail): return (.trustStale, detail, [])
            case .clockUntrusted(let detail): return (.clockUntrusted, detail, [])
            }
        }
    }

    /// Moves the clock high-water mark on, but only from a clock judged trustworthy.
    func recordClock(now: Date) throws(TrustStoreError) {
        guard health(now: now).fault == nil else { return }
        try store.recordClock(now)
        let highWater = store.clockHighWater()
        lock.withLock { clockHighWater = highWater }
    }

    /// Sequence, age and remaining life of the trust in use, for the status snapshot.
    func statusFields(now: Date) -> (sequence: UInt64?, ageSeconds: Int64?, expiresInSeconds: Int64?, reloads: UInt64) {
        lock.withLock {
            guard let manifest = installed?.manifest else { return (nil, nil, nil, reloads) }
            return (
                manifest.sequence, Int64(now.timeIntervalSince(manifest.issuedAt).rounded(.down)),
                Int64(manifest.notAfter.timeIntervalSince(now).rounded(.down)), reloads
            )
        }
    }

    /// Called with `lock` held.
    private func assessLocked(now: Date) -> TrustedClock.Assessment {
        clock.assess(systemNow: now, manifest: installed?.manifest, clockHighWater: clockHighWater)
    }
}
