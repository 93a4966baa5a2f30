import AdmissionRules
import ArgumentParser
import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import SystemCalls
import TrustSources
import TrustStore

struct TrustBundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Create, verify and inspect trust bundles (the back-office side).",
        subcommands: [CreateCommand.self, VerifyBundleCommand.self, InspectCommand.self, DiffCommand.self]
    )

    /// `gatecheck trust bundle create`: assembles and signs a bundle for a USB stick.
    struct CreateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Build and sign a trust bundle.")

        @Option(name: .customLong("signing-key"), help: "PEM private key (PKCS#8) of the bundle signer.")
        var signingKey: String
        @Option(name: .customLong("signing-cert"), help: "PEM certificate of the bundle signer.")
        var signingCertificate: String
        @Option(name: .customLong("chain"), help: "PEM intermediate CA certificates up to the device anchor. Repeatable.")
        var chain: [String] = []
        @Option(name: .customLong("sequence"), help: "Sequence number: above every bundle issued before.")
        var sequence: UInt64
        @Option(name: .customLong("valid-days"), help: "Days until devices regard this trust as stale.")
        var validDays: Int
        @Option(
            name: [.customLong("trust"), .customLong("cert")],
            help: "Trust material of any format, recognised by content: DSCs (PEM/DER), the EU gateway trust list, the WHO GDHCN trust list, a VCI snapshot, CSCA master lists, CRLs, issuers' DID documents, admission rules (rule.json, folders of them, the gateway's rules download) and value sets, or folders of them. Repeatable (--cert is the older name).")
        var certificates: [String] = []
        @Option(name: .customLong("vci-snapshot-signature"), help: "Detached signature a VCI snapshot given with --trust must verify with.")
        var vciSnapshotSignature: String?
        @Option(name: .customLong("vci-snapshot-cert"), help: "Certificate (PEM or DER) of the VCI snapshot's signer.")
        var vciSnapshotCertificate: String?
        @Option(name: .customLong("dsc-list"), help: "German signed DSC list. Repeatable; pair each with --dsc-list-key.")
        var dscLists: [String] = []
        @Option(name: .customLong("dsc-list-key"), help: "PEM public key for the --dsc-list at the same position (one key serves all; without --dsc-list, for the German lists among --trust).")
        var dscListKeys: [String] = []
        @Option(name: .customLong("gateway-trust-list"), help: "EU gateway trustList JSON. Repeatable.")
        var gatewayLists: [String] = []
        @Option(name: .customLong("revoked-uci"), help: "Text file of revoked UCIs, one per line; stored hashed. Repeatable.")
        var revokedUCIs: [String] = []
        @Option(name: .customLong("revoked-hashes"), help: "TYPE:FILE of 16-byte hashes (base64 or hex per line), TYPE uci, country-uci or signature. Repeatable.")
        var revokedHashes: [String] = []
        @Option(name: .customLong("include-country"), help: "Keep only keys and rules of this country (ISO 3166 alpha-2, or alpha-3 for GDHCN participants). Repeatable.")
        var includedCountries: [String] = []
        @Option(name: .customLong("exclude-country"), help: "Leave out keys and rules of this country (alpha-2, or alpha-3 for GDHCN participants). Repeatable.")
        var excludedCountries: [String] = []
        @Option(name: .customLong("rules"), help: "Admission rules: a rule.json in the EU gateway format, or a folder searched for them. Repeatable; needs value sets.")
        var rulePaths: [String] = []
        @Option(name: .customLong("value-sets"), help: "EU valueSets.json ({name: [codes]}) that the rules look codes up in.")
        var valueSetsPath: String?
        @Option(name: .customLong("producer"), help: "Producer id written into the manifest.")
        var producer = ProcessInfo.processInfo.hostName
        @Option(name: .customLong("output"), help: "Where to write the bundle (a new file).")
        var output: String
        @Option(name: .customLong("delta-from"), help: "Write a delta against this full bundle: revocation entries added and removed since it, everything else in full. --sequence must be above its sequence.")
        var deltaFrom: String?
        @Option(name: .customLong("anchors"), help: "With --delta-from: verify the base bundle against these PEM CA certificates. Without, its sections are only checked against its manifest.")
        var baseAnchorsDirectory: String?

        func validate() throws {
            guard validDays > 0 else { throw ValidationError("--valid-days must be positive") }
            guard dscListKeys.count == dscLists.count || (dscListKeys.count == 1 && !dscLists.isEmpty) || (dscLists.isEmpty && dscListKeys.count <= 1) else {
                throw ValidationError("give one --dsc-list-key per --dsc-list, or a single key for all")
            }
            guard !FileManager.default.fileExists(atPath: output) else { throw ValidationError("\(output) exists; choose a new file") }
            guard baseAnchorsDirectory == nil || deltaFrom != nil else { throw ValidationError("--anchors checks the --delta-from base; give --delta-from too") }
            guard (vciSnapshotSignature == nil) == (vciSnapshotCertificate == nil) else {
                throw ValidationError("give --vci-snapshot-signature and --vci-snapshot-cert together")
            }
        }

        func run() throws {
            let now = WallClock.system.now()
            var builder = TrustBundleBuilder(
                sequence: sequence, issuedAt: now, notAfter: now.addingTimeInterval(Double(validDays) * 86_400), producer: producer
            )
            do {
                let snapshotCheck = vciSnapshotSignature.flatMap { signature in vciSnapshotCertificate.map { (signature, $0) } }
                let filter = try CountryFilter(include: includedCountries, exclude: excludedCountries)
                var filteredOut = 0
                var rules: [ValidationRule] = []
                // Gateway trust lists are recognised by content, so they load with the other trust (their UPLOAD
                // certificates check a gateway rules download given alongside).
                if !certificates.isEmpty || !gatewayLists.isEmpty {
                    var loader = TrustLoader(vciSnapshotCheck: snapshotCheck, sourceTime: now)
                    // A single --dsc-list-key without --dsc-list checks the German lists among --trust.
                    if dscLists.isEmpty, dscListKeys.count == 1 { loader.listKey = try TrustLoader.publicKey(fromPEMFile: dscListKeys[0]) }
                    loader.countryFilter = filter
                    let loaded = try loader.load(paths: certificates + gatewayLists)
                    builder.trust = try builder.trust.merging(loaded.trust)
                    rules += loaded.rules
                    builder.valueSets = loaded.valueSets
                    filteredOut += loaded.filteredOut
                }
                for (index, list) in dscLists.enumerated() {
                    var loader = TrustLoader(listKey: try TrustLoader.publicKey(fromPEMFile: dscListKeys[dscListKeys.count == 1 ? 0 : index]))
                    loader.countryFilter = filter
                    let loaded = try loader.load(paths: [list])
                    builder.signers += loaded.trustList.allSigners
                    filteredOut += loaded.filteredOut
                }
                for file in revokedUCIs { builder.revocations[.revokedUCI, default: []] += try RevocationListFile.uciHashes(path: file) }
                for argument in revokedHashes {
                    let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
                    let tables: [String: BundleSection] = ["uci": .revokedUCI, "country-uci": .revokedCountryUCI, "signature": .revokedSignature]
                    guard parts.count == 2, let table = tables[parts[0]] else {
                        throw UsageError("--revoked-hashes takes TYPE:FILE with TYPE uci, country-uci or signature")
                    }
                    builder.revocations[table, default: []] += try RevocationListFile.hashes(path: parts[1])
                }
                // Every rule is validated here exactly as a device validates it on import.
                for path in rulePaths {
                    let found = try RuleFiles.rules(at: path)
                    let kept = filter.filter(found)
                    filteredOut += found.count - kept.count
                    rules += kept
                }
                if !rules.isEmpty { builder.rules = try RuleSet(rules: rules) }
                if let valueSetsPath {
                    guard builder.valueSets == nil else {
                        throw UsageError("value sets came with --trust and --value-sets; give them once")
                    }
                    builder.valueSets = try RuleFiles.valueSets(at: valueSetsPath)
                }
                guard rules.isEmpty || builder.valueSets != nil else {
                    throw UsageError("admission rules need the value sets they read; give --value-sets FILE or the value sets file with --trust")
                }
                let key: PrivateKey
                do {
                    key = try PrivateKey(pem: String(decoding: Self.read(signingKey, option: "--signing-key"), as: UTF8.self))
                } catch let error as UsageError {
                    throw error
                } catch {
                    throw Refusal.usage("--signing-key \(signingKey)", error, next: "give the signer's PKCS#8 private key in PEM (BEGIN PRIVATE KEY)")
                }
                if let deltaFrom {
                    let anchors = try TrustBundleCommand.anchors(baseAnchorsDirectory, hint: "give the PEM CA certificates the base bundle chains to")
                    builder.deltaBase = TrustBundleBuilder.DeltaBase(path: deltaFrom, anchors: anchors)
                }
                let certificate = try Self.certificate(signingCertificate, option: "--signing-cert")
                let chainCertificates = try chain.map { try Self.certificate($0, option: "--chain") }
                let bytes = try builder.build(signingKey: key, certificate: certificate, chain: chainCertificates)
                guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                    throw UsageError("--output \(output): cannot write the bundle there; check that its folder exists and is writable")
                }
                var revocations = "\(builder.revocations.values.reduce(0) { $0 + $1.count }) revocation entries"
                let manifest = try TrustBundleInspection.manifest(path: output)
                if let base = manifest.base, let changes = manifest.deltaChanges {
                    revocations += " (delta on base sequence \(base.sequence): +\(changes.added) -\(changes.removed))"
                }
                let ruleCount = builder.rules?.rules.count ?? 0
                let others = builder.trust.counts.filter { $0.framework != .hcert && $0.count > 0 }.map { "\($0.count) \($0.framework.rawValue) keys" }
                let filtered = filter.isEmpty ? "" : "\(filteredOut) keys and rules left out by the country filter, "
                print("wrote \(output): sequence \(sequence), \(builder.signers.count) signers, \(revocations), \(ruleCount) rules, "
                    + others.map { $0 + ", " }.joined() + filtered + "\(bytes.count) bytes")
            } catch let error as UsageError {
                throw error
            } catch {
                throw Refusal.usage("trust bundle create", error, next: "check the files given to it (`gatecheck trust bundle create --help`)")
            }
        }

        /// A whole input file, or a usage error naming the option it was given with.
        static func read(_ path: String, option: String) throws -> [UInt8] {
            do {
                return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw UsageError("\(option) \(path): \(Refusal.reason(error)); check the path")
            }
        }

        static func certificate(_ path: String, option: String) throws -> Certificate {
            let text = String(decoding: try read(path, option: option), as: UTF8.self)
            guard let der = PEM.derBlocks(in: text, label: "CERTIFICATE").first else {
                throw UsageError("\(option) \(path): no PEM certificate in the file; give a certificate in PEM (BEGIN CERTIFICATE)")
            }
            do {
                return try Certificate(derEncoded: der)
            } catch {
                throw UsageError("\(option) \(path): the certificate does not parse (\(error)); give a valid X.509 certificate in PEM")
            }
        }
    }

    /// `gatecheck trust bundle verify`: every check an import makes, without installing.
    struct VerifyBundleCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check a bundle as a device would, without installing it.")
        @Option(name: .customLong("anchors"), help: "Folder of PEM CA certificates allowed to sign bundles.")
        var anchorsDirectory = TrustAnchors.defaultDirectory
        @Argument(help: "The bundle file.")
        var bundle: String

        func run() throws {
            let anchors: [Certificate]
            do {
                anchors = try TrustAnchors.load(directory: anchorsDirectory)
            } catch {
                throw UsageError(
                    "\(error.detail); put the PEM CA certificates allowed to sign trust bundles there, or pass --anchors DIR")
            }
            do {
                let verified = try TrustBundleVerifier(anchors: anchors, minimumSequence: nil, signerValidityTime: WallClock.system.now()).verify(path: bundle)
                let others = verified.trust.counts.filter { $0.framework != .hcert && $0.count > 0 }.map { "\($0.count) \($0.framework.rawValue) keys, " }.joined()
                print("ok: sequence \(verified.manifest.sequence), \(verified.signers.count) signers, \(others)\(TrustBundleCommand.revocationText(verified)), \(verified.rules?.rules.count ?? 0) rules, signed by \(verified.signerCertificate.subjectCommonName ?? "?")")
            } catch {
                throw Refusal.report(error)
            }
        }
    }

    /// The anchors in `directory`, nil without one; a folder that does not load is a usage error ending in `hint`.
    static func anchors(_ directory: String?, hint: String) throws -> [Certificate]? {
        guard let directory else { return nil }
        do {
            return try TrustAnchors.load(directory: directory)
        } catch {
            throw UsageError("\(error.detail); \(hint)")
        }
    }

    /// A full bundle's revocation entries, or a delta's entries added and removed since its base.
    static func revocationText(_ bundle: VerifiedBundle) -> String {
        guard let base = bundle.manifest.base, let changes = bundle.manifest.deltaChanges else {
            return "\(bundle.revocationCount) revocation entries"
        }
        return "delta on base sequence \(base.sequence): revocation entries +\(changes.added) -\(changes.removed)"
    }

    /// `gatecheck trust bundle inspect`: the manifest and sections, with nothing verified (says so).
    struct InspectCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Show a bundle's manifest (unverified).")
        @Argument(help: "The bundle file.")
        var bundle: String

        func run() throws {
            do {
                let manifest = try TrustBundleInspection.manifest(path: bundle)
                print("UNVERIFIED manifest of \(bundle) (use `gatecheck trust bundle verify` to check it):")
                print("  sequence \(manifest.sequence), producer \(manifest.producer)")
                if let base = manifest.base {
                    print("  delta on base sequence \(base.sequence), base manifest sha256 \(base.sha256)")
                } else {
                    print("  full bundle")
                }
                print("  issued \(manifest.issuedAt), stale after \(manifest.notAfter)")
                for file in manifest.files { print("  \(file.name): \(file.length) bytes, sha256 \(file.sha256)") }
                let contents = try TrustBundleInspection.ruleContents(path: bundle)
                for line in RulesSummary.lines(rules: contents.rules, valueSets: contents.valueSets) { print("  \(line)") }
            } catch {
                throw Refusal.report(error)
            }
        }
    }

    /// `gatecheck trust bundle diff`: what changed between two bundles, in the line format of docs/trust-bundles.md.
    struct DiffCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff", abstract: "Show what changed between two bundles (signers, rules, value sets, revocation counts).")
        @Option(name: .customLong("anchors"), help: "Folder of PEM CA certificates: verify both bundles first. Without it, their sections are only checked against their manifests.")
        var anchorsDirectory: String?
        @Argument(help: "The older bundle.")
        var old: String
        @Argument(help: "The newer bundle.")
        var new: String

        func run() throws {
            let anchors = try TrustBundleCommand.anchors(anchorsDirectory, hint: "put the PEM CA certificates allowed to sign trust bundles there")
            do {
                for line in try TrustBundleDiff.lines(old: old, new: new, anchors: anchors) { print(line) }
            } catch {
                throw Refusal.report(error)
            }
        }
    }
}
