import AdmissionRules
import ArgumentParser
import CodeScanning
import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import SystemCalls
import TrustSources
import TrustStore

/// `gatecheck verify`: verifies credentials of every supported format from images, text files or standard input.
/// Its flags, JSON keys and exit statuses are a contract other tools rely on.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify health credentials offline: EU DCC and WHO GDHCN (HC1:), SMART Health Cards, ICAO VDS-NC seals, NZ COVID Pass.",
        discussion: """
            An INPUT is an image (PNG, JPEG, PGM; every QR code in it is verified), a text file with one \
            payload per line, or - for payloads on standard input. Exit status: 0 if every input passes, \
            1 if any fails, 2 on a usage error.
            """
    )

    @Option(
        name: .customLong("trust"),
        help: "Trust material of any format, recognised by content: PEM/DER certificates, signed DSC lists, the WHO GDHCN trust list, a VCI snapshot, CSCA master lists, CRLs, issuers' DID documents, or folders of them. Repeatable.")
    var trustPaths: [String] = []

    @Option(name: .customLong("vci-snapshot-signature"), help: "Detached signature a VCI snapshot given with --trust must verify with.")
    var vciSnapshotSignature: String?

    @Option(name: .customLong("vci-snapshot-cert"), help: "Certificate (PEM or DER) of the VCI snapshot's signer.")
    var vciSnapshotCertificate: String?

    @Option(name: .customLong("trust-list-key"), help: "PEM public key that signed DSC lists given with --trust must verify against.")
    var trustListKey: String?

    @Flag(name: .customLong("allow-unverified-trust-list"), help: "Load signed DSC lists without checking their signature (testing only).")
    var allowUnverifiedTrustList = false

    @Option(name: .customLong("state-dir"), help: "State directory whose installed trust store is used when no --trust is given.")
    var stateDirectory = TrustStoreDirectory.defaultPath

    @Option(name: .customLong("anchors"), help: "Folder of PEM CA certificates that may sign the installed bundle.")
    var anchorsDirectory = TrustAnchors.defaultDirectory

    @Option(name: .customLong("stale-trust"), help: "What stale installed trust does to verdicts: fail or warn.")
    var staleTrust = "fail"

    @Option(name: .customLong("max-trust-age-days"), help: "Installed trust older than this counts as stale. (default: none: only the bundle's notAfter counts)")
    var maximumTrustAgeDays: Int?

    @Option(name: .customLong("at"), help: "Verify as of this ISO 8601 time (e.g. 2022-06-01T00:00:00Z) instead of now; the trusted-clock check then does not apply.")
    var at: String?

    @Option(name: .customLong("clock-skew"), help: "Seconds of tolerance for issue and sample times.")
    var clockSkew: Int = Int(VerificationContext.defaultClockSkew)

    @Option(name: .customLong("country"), help: "Country of arrival (ISO 3166 alpha-2): its admission rules must pass too. Without it a pass means authentic.")
    var country: String?

    @Option(name: .customLong("region"), help: "Region within --country whose rules also apply.")
    var region: String?

    @Option(name: .customLong("rules"), help: "Admission rules from a rule.json or a folder of them, instead of the installed store's. Repeatable; needs --value-sets.")
    var rulePaths: [String] = []

    @Option(name: .customLong("value-sets"), help: "EU valueSets.json for --rules.")
    var valueSetsPath: String?

    @Flag(name: .customLong("json"), help: "Print one JSON object per line for every code read.")
    var json = false

    @Flag(name: .customLong("show-holder"), help: "Also print the holder's name and date of birth (never logged).")
    var showHolder = false

    @Argument(help: "Images, text files, or - for standard input.")
    var inputs: [String]

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one INPUT") }
        guard clockSkew >= 0 else { throw ValidationError("--clock-skew must not be negative") }
        guard TrustedClock.StalePolicy(rawValue: staleTrust) != nil else { throw ValidationError("--stale-trust takes fail or warn") }
        // Two capital letters, as rule sets name countries (test sets use codes like XX that ISO leaves unassigned).
        if let country, country.utf8.count != 2 || !country.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) {
            throw ValidationError("--country takes an ISO 3166 alpha-2 code such as DE")
        }
        guard country != nil || (rulePaths.isEmpty && valueSetsPath == nil && region == nil) else {
            throw ValidationError("--region, --rules and --value-sets need --country")
        }
        guard rulePaths.isEmpty == (valueSetsPath == nil) else { throw ValidationError("give --rules and --value-sets together") }
        guard (vciSnapshotSignature == nil) == (vciSnapshotCertificate == nil) else {
            throw ValidationError("give --vci-snapshot-signature and --vci-snapshot-cert together")
        }
        guard trustPaths.isEmpty || country == nil || !rulePaths.isEmpty else {
            throw ValidationError("with --trust, --country needs --rules and --value-sets (the installed store's rules are used only with it)")
        }
    }

    func run() throws {
        let (verifier, context) = try verifierAndContext()
        let scanner: QRScanner
        do {
            scanner = try QRScanner()
        } catch {
            throw Refusal.usage("cannot start the QR scanner", error, next: "reinstall gatecheck (its zbar library is missing or broken)")
        }

        var allPassed = true
        func output(_ report: VerificationReport, label: String) {
            allPassed = allPassed && report.verdict == .pass
            print(json ? report.jsonLine(input: label, includeHolder: showHolder) : Self.textLine(report, input: label, showHolder: showHolder))
        }
        for input in inputs {
            // A card printed across several codes (SMART Health Card chunks) is verified once, from all its parts in
            // this input, after the input's other codes, under its first part's label.
            var parts: [(label: String, payload: [UInt8])] = []
            for item in CodeInputs.read(input, scanner: scanner) {
                if case .payload(let bytes) = item.content, parts.count < Self.maximumParts, verifier.isPart(bytes) {
                    parts.append((item.label, bytes))
                } else {
                    output(Self.report(for: item, verifier: verifier, context: context), label: item.label)
                }
            }
            if let first = parts.first { output(verifier.verify(parts: parts.map(\.payload), in: context), label: first.label) }
        }
        if !allPassed { throw ExitCode(1) }
    }

    /// More parts than any card has (SMART Health Cards allow 32 chunks) are verified one by one, and fail.
    static let maximumParts = 64

    private static func report(for item: CodeInput, verifier: CredentialVerifier, context: VerificationContext) -> VerificationReport {
        switch item.content {
        case .payload(let bytes):
            return verifier.verify(payload: bytes, in: context)
        case .tooLong(let count):
            return VerificationReport(decodeFailure: CredentialError(.payloadTooLarge, "line of \(count) bytes is too long to be a QR payload"), in: context)
        case .noCode:
            return VerificationReport(decodeFailure: CredentialError(.noCodeFound, "no QR code found in the image"), in: context)
        case .unreadable(let error):
            return VerificationReport(decodeFailure: CredentialError(.unreadableInput, error.detail), in: context)
        }
    }

    private static func textLine(_ report: VerificationReport, input: String, showHolder: Bool) -> String {
        var parts = [report.verdict.rawValue.uppercased(), input]
        // HC1 lines read as they always have; other formats (and WHO profiles) say what they are.
        if report.format != .hc1 { parts.append("format=\(report.format.rawValue)") }
        if let profile = report.profile, profile != .euDCC { parts.append("profile=\(profile.rawValue)") }
        if let failure = report.failure { parts.append("reason=\(failure.code) (\(failure.detail))") }
        if !report.failedRules.isEmpty { parts.append("rules=\(report.failedRules.joined(separator: ","))") }
        if let type = report.type { parts.append("type=\(type.rawValue)") }
        if let issuer = report.issuer { parts.append("issuer=\(issuer)") }
        if let kid = report.kidText { parts.append("kid=\(kid)") }
        if showHolder, let holder = report.holder {
            parts.append("holder=\(holder.familyNameTransliterated)<<\(holder.givenNameTransliterated ?? "") dob=\(holder.dateOfBirth)")
        }
        return parts.joined(separator: " ")
    }

    /// Explicit `--trust` material, else the installed store (with revocation and trusted time).
    private func verifierAndContext() throws -> (CredentialVerifier, VerificationContext) {
        let explicitTime = try at.map(Self.parseTime)
        let skew = TimeInterval(clockSkew)
        let fileRules = try admissionFromFiles()
        if !trustPaths.isEmpty {
            return (
                try loadTrust().verifier(admission: fileRules), VerificationContext(now: explicitTime ?? WallClock.system.now(), clockSkew: skew)
            )
        }
        let store = TrustStoreDirectory(path: stateDirectory)
        guard FileManager.default.fileExists(atPath: store.bundlePath) else {
            if country != nil && fileRules == nil {
                throw UsageError(
                    "--country: no trust store is installed in \(stateDirectory), so there are no admission rules; "
                        + "install one with `gatecheck trust import BUNDLE` or give --rules and --value-sets")
            }
            printToStandardError(
                "warning: no --trust given and no trust store installed in \(stateDirectory): every signer is unknown; "
                    + "give --trust, or install a store with `gatecheck trust import BUNDLE`")
            return (CredentialTrust.empty.verifier(admission: fileRules), VerificationContext(now: explicitTime ?? WallClock.system.now(), clockSkew: skew))
        }
        let anchors: [Certificate]
        do {
            anchors = try TrustAnchors.load(directory: anchorsDirectory)
        } catch {
            throw UsageError(
                "cannot check the trust store in \(stateDirectory): \(error.detail); "
                    + "put the PEM CA certificates allowed to sign trust bundles in \(anchorsDirectory), or pass --anchors DIR")
        }
        let installed: InstalledTrust
        do {
            installed = try store.load(anchors: anchors)
        } catch {
            throw UsageError(
                "the trust store in \(stateDirectory) cannot be used (\(error.code): \(error.detail)); \(Refusal.nextStep(for: error.code))")
        }
        var admission = fileRules
        if let country, admission == nil {
            guard let rules = installed.bundle.rules, let valueSets = installed.bundle.valueSets else {
                throw UsageError(
                    "--country: the trust bundle installed in \(stateDirectory) carries no admission rules; "
                        + "import a bundle that has them, or give --rules and --value-sets")
            }
            admission = AdmissionPolicy(rules: rules, valueSets: valueSets, arrivalCountry: country, region: region)
        }
        let verifier = installed.verifier(admission: admission)
        if let explicitTime {
            // An analyst's clock, not the device's: trusted-time checks do not apply.
            return (verifier, VerificationContext(now: explicitTime, clockSkew: skew))
        }
        let now = WallClock.system.now()
        let clock = TrustedClock(
            maximumAge: maximumTrustAgeDays.map { Double($0) * 86_400 }, stalePolicy: TrustedClock.StalePolicy(rawValue: staleTrust) ?? .fail
        )
        let assessment = clock.assess(systemNow: now, manifest: installed.manifest, clockHighWater: store.clockHighWater())
        for warning in assessment.warnings { printToStandardError("warning: \(warning)") }
        if case .fit = assessment.fitness {
            // A trusted reading moves the high-water mark on; a read-only state directory just skips it.
            try? store.recordClock(now)
        }
        return (verifier, VerificationContext(now: now, clockSkew: skew, fitness: assessment.fitness))
    }

    /// `--rules` and `--value-sets` for back-office testing: validated exactly as a bundle's are.
    private func admissionFromFiles() throws -> AdmissionPolicy? {
        guard let country, let valueSetsPath, !rulePaths.isEmpty else { return nil }
        do {
            var rules: [ValidationRule] = []
            for path in rulePaths { rules += try RuleFiles.rules(at: path) }
            return AdmissionPolicy(
                rules: try RuleSet(rules: rules), valueSets: try RuleFiles.valueSets(at: valueSetsPath), arrivalCountry: country, region: region)
        } catch {
            throw Refusal.usage("--rules/--value-sets", error, next: "fix the rule files (`gatecheck rules test` checks them)")
        }
    }

    private static func parseTime(_ at: String) throws -> Date {
        if let date = try? Date(at, strategy: .iso8601) { return date }
        if let date = try? Date(at, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        throw UsageError("--at \(at) is not an ISO 8601 time; give one such as 2022-06-01T00:00:00Z")
    }

    private func loadTrust() throws -> CredentialTrust {
        let key: PublicKey?
        do {
            key = try trustListKey.map { path throws(TrustSourceError) in try TrustLoader.publicKey(fromPEMFile: path) }
        } catch {
            throw UsageError("--trust-list-key \(error); give the PEM public key (BEGIN PUBLIC KEY) that signed the DSC lists")
        }
        do {
            let snapshotCheck = vciSnapshotSignature.flatMap { signature in vciSnapshotCertificate.map { (signature, $0) } }
            let loader = TrustLoader(listKey: key, allowsUnverifiedLists: allowUnverifiedTrustList, vciSnapshotCheck: snapshotCheck)
            let loaded = try loader.load(paths: trustPaths)
            // Rules found among --trust would silently not apply here: refuse them.
            guard loaded.rules.isEmpty, loaded.valueSets == nil else {
                throw UsageError("--trust holds admission rules or value sets; give them with --rules and --value-sets")
            }
            return loaded.trust
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError("--trust \(error); give trust material docs/formats.md lists (certificates, signed lists, a VCI snapshot with its signature, master lists, DID documents), or folders of them")
        }
    }
}
