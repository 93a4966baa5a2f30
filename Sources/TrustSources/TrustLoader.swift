import AdmissionRules
import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON
import NZCovidPass
import SmartHealthCards
import VisibleDigitalSeals
import SystemCalls

/// Builds every framework's trust (``CredentialTrust``) from files and folders, each file recognised by its
/// content: PEM or DER Document Signer Certificates and German signed DSC lists, the WHO GDHCN trust list
/// (HCERT signers), VCI directory snapshots (SMART Health Card issuers, checked with their detached signature
/// first), CSCA master lists, self-signed CA certificates and CRLs (ICAO seals), and DID documents of credential
/// issuers (NZCP), the EU gateway's trust list, and admission rules and value sets in every form ``RuleSources`` reads.
///
/// A folder contributes every file it directly holds that is one of those formats, and every `rule.json` below it
/// (a `business-rules/<CC>` checkout); other files (a README, the list's public key) are skipped and reported. A file named explicitly must be
/// trust material. A signed list is refused unless its signature verifies with `listKey`, or the
/// caller explicitly allows unverified lists.
public struct TrustLoader: Sendable {
    /// Largest single file read; the biggest real list (de-prod) is about 2 MB.
    public static let maximumFileSize = 32 * 1024 * 1024
    public static let maximumFilesPerFolder = 10_000

    public var listKey: PublicKey?
    public var allowsUnverifiedLists: Bool
    /// The detached signature and certificate a VCI snapshot must verify with; a snapshot without them is refused.
    public var vciSnapshotCheck: (signaturePath: String, certificatePath: String)?
    /// When trust sources' own certificates must be valid (the snapshot certificate): the real time, not `--at`.
    public var sourceTime: Date
    /// Which countries' keys and rules are kept.
    public var countryFilter = CountryFilter.none

    public init(
        listKey: PublicKey? = nil, allowsUnverifiedLists: Bool = false, vciSnapshotCheck: (signaturePath: String, certificatePath: String)? = nil,
        sourceTime: Date = WallClock.system.now()
    ) {
        self.listKey = listKey
        self.allowsUnverifiedLists = allowsUnverifiedLists
        self.vciSnapshotCheck = vciSnapshotCheck
        self.sourceTime = sourceTime
    }

    /// What was loaded, file by file.
    public struct LoadedTrust: Sendable {
        /// Everything loaded, by framework.
        public var trust = CredentialTrust.empty
        /// The HCERT signers loaded.
        public var trustList: TrustList { trust.hcert }
        /// Each file that held trust, with the keys it added.
        public var loaded: [(path: String, signers: Int)] = []
        public var skipped: [String] = []
        /// Admission rules (files, folders of `rule.json`, gateway downloads), validated one by one.
        public var rules: [ValidationRule] = []
        /// Value sets by name, from every value-set file; nil when none was given.
        public var valueSets: ValueSets?
        /// Keys and rules the country filter left out.
        public var filteredOut = 0
    }

    public func load(paths: [String]) throws(TrustSourceError) -> LoadedTrust {
        var signers: [DocumentSigner] = []
        var result = LoadedTrust()
        var valueSets: [(name: String, codes: JSONValue)] = []
        var uploadCertificates: [(country: String, certificate: Certificate)] = []
        var ruleDownloads: [(json: JSONValue, path: String)] = []
        /// Adds one file's trust: its HCERT signers wait for one TrustList at the end (kept in load order).
        /// `filtering` false: the country filter was applied already (GDHCN signers, by their participants too).
        func add(_ unfiltered: CredentialTrust, filtering: Bool = true, from file: String) throws(TrustSourceError) {
            let found = filtering ? try filtered(unfiltered, path: file) : unfiltered
            result.filteredOut += unfiltered.counts.reduce(0) { $0 + $1.count } - found.counts.reduce(0) { $0 + $1.count }
            signers += found.hcert.allSigners
            result.trust.shc = result.trust.shc.merging(found.shc)
            result.trust.did = result.trust.did.merging(found.did)
            if found.icao.count > 0 || !found.icao.crls.isEmpty {
                do {
                    result.trust.icao = try result.trust.icao.merging(found.icao)
                } catch {
                    throw TrustSourceError(.tooLarge, path: file, error.detail)
                }
            }
            result.loaded.append((file, found.counts.reduce(0) { $0 + $1.count }))
        }
        func addRules(_ rules: [ValidationRule], from file: String) {
            let kept = countryFilter.filter(rules)
            result.filteredOut += rules.count - kept.count
            result.rules += kept
            result.loaded.append((file, kept.count))
        }
        try Self.forEachFile(in: paths, ruleFolders: { (folder) throws(TrustSourceError) in
            do throws(AdmissionRulesError) {
                let rules = try RuleFiles.rules(at: folder)
                if !rules.isEmpty { addRules(rules, from: folder) }
            } catch {
                throw TrustSourceError(.badRule, path: folder, error.description)
            }
        }) { (file, mustBeTrust) throws(TrustSourceError) in
            let bytes = try Self.readFile(file, limit: Self.maximumFileSize)
            if !VCISnapshot.looksLike(bytes), let json = RuleSources.json(bytes), let form = RuleSources.form(of: json) {
                switch form {
                case .rule: addRules([try RuleSources.rule(json, path: file)], from: file)
                case .rules: addRules(try (json.array ?? []).map { (item) throws(TrustSourceError) in try RuleSources.rule(item, path: file) }, from: file)
                case .valueSets, .gatewayValueSet: valueSets += try RuleSources.valueSets(json, form: form, path: file)
                case .gatewayRuleDownload: ruleDownloads.append((json, file))
                }
            } else if GatewayTrustList.looksLike(bytes) {
                let signers: [DocumentSigner]
                do throws(CredentialError) {
                    signers = try GatewayTrustList.signers(from: bytes)
                    uploadCertificates += try GatewayTrustList.uploadCertificates(from: bytes)
                } catch {
                    throw TrustSourceError(.listRefused, path: file, error.detail)
                }
                try add(CredentialTrust(hcert: TrustList(signers)), from: file)
            } else if GDHCNTrustList.looksLike(bytes) {
                let list = try GDHCNTrustList.read(bytes, path: file)
                let kept = countryFilter.filter(gdhcnSigners: list.signers, participants: list.participants)
                result.filteredOut += list.signers.count - kept.count
                try add(CredentialTrust(hcert: TrustList(kept)), filtering: false, from: file)
            } else if let found = try trustInFile(bytes, path: file, mustBeTrust: mustBeTrust) {
                try add(found, from: file)
            } else {
                result.skipped.append(file)
            }
        }
        // After every file: a rules download is checked against the UPLOAD certificates of all trust lists given.
        for download in ruleDownloads {
            addRules(try RuleSources.gatewayRules(download.json, uploadCertificates: uploadCertificates, path: download.path), from: download.path)
        }
        result.trust.hcert = TrustList(signers)
        if !valueSets.isEmpty { result.valueSets = try Self.merged(valueSets) }
        return result
    }

    /// The trust the country filter keeps.
    private func filtered(_ trust: CredentialTrust, path: String) throws(TrustSourceError) -> CredentialTrust {
        do {
            return try countryFilter.filter(trust)
        } catch {
            throw TrustSourceError(.tooLarge, path: path, error.detail)
        }
    }

    /// One value-sets object; a name given twice must hold the same codes both times.
    private static func merged(_ valueSets: [(name: String, codes: JSONValue)]) throws(TrustSourceError) -> ValueSets {
        var byName: [String: JSONValue] = [:]
        for (name, codes) in valueSets {
            if let earlier = byName[name], earlier != codes {
                throw TrustSourceError(.badRule, path: name, "value set given twice with different codes")
            }
            byName[name] = codes
        }
        do {
            return try ValueSets(json: .object(JSONObject(byName.keys.sorted().map { ($0, byName[$0]!) })))
        } catch {
            throw TrustSourceError(.badRule, path: "value sets", error.description)
        }
    }

    /// Every PEM or DER certificate in `paths` (files, or the files folders directly hold), whatever it is for: the
    /// device's pinned bundle anchors are read so. Other files in folders are skipped.
    public func certificates(paths: [String]) throws(TrustSourceError) -> [Certificate] {
        var certificates: [Certificate] = []
        try Self.forEachFile(in: paths, ruleFolders: nil) { (file, mustBeTrust) throws(TrustSourceError) in
            let bytes = try Self.readFile(file, limit: Self.maximumFileSize)
            if let found = try certificatesInFile(bytes, path: file) {
                certificates += found
            } else if mustBeTrust {
                throw TrustSourceError(.unrecognisedFormat, path: file, "not a PEM or DER certificate")
            }
        }
        return certificates
    }

    /// Calls `body` for each path that is a file (`mustBeTrust`: named explicitly) and each file a folder path
    /// directly holds, in name order, skipping hidden files and subfolders. With `ruleFolders`, a folder that holds a
    /// `rule.json` or subfolders is also given to it, to collect the rules below it (and its own `rule.json` is not
    /// given to `body`).
    private static func forEachFile(
        in paths: [String], ruleFolders: ((_ folder: String) throws(TrustSourceError) -> Void)?,
        _ body: (_ file: String, _ mustBeTrust: Bool) throws(TrustSourceError) -> Void
    ) throws(TrustSourceError) {
        for path in paths {
            var isDirectory = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw TrustSourceError(.unreadable, path: path, "no such file or folder")
            }
            guard isDirectory else {
                try body(path, true)
                continue
            }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            } catch {
                throw TrustSourceError(.unreadable, path: path, "cannot list folder")
            }
            guard names.count <= maximumFilesPerFolder else {
                throw TrustSourceError(.tooLarge, path: path, "more than \(maximumFilesPerFolder) files")
            }
            var holdsRules = false
            for name in names where !name.hasPrefix(".") {
                let file = path.hasSuffix("/") ? path + name : path + "/" + name
                var isSubfolder = false
                guard FileManager.default.fileExists(atPath: file, isDirectory: &isSubfolder) else { continue }
                guard !isSubfolder else {
                    holdsRules = true
                    continue
                }
                if name == RuleFiles.ruleFileName, ruleFolders != nil {
                    holdsRules = true
                    continue
                }
                try body(file, false)
            }
            if holdsRules, let ruleFolders { try ruleFolders(path) }
        }
    }

    /// The trust in one file, or nil for a file that is not trust material (allowed only in folders).
    private func trustInFile(_ bytes: [UInt8], path: String, mustBeTrust: Bool) throws(TrustSourceError) -> CredentialTrust? {
        if VCISnapshot.looksLike(bytes) {
            guard let check = vciSnapshotCheck else {
                throw TrustSourceError(
                    .listRefused, path: path, "VCI snapshot given without --vci-snapshot-signature and --vci-snapshot-cert; refusing to trust it unchecked")
            }
            let signature = try Self.readFile(check.signaturePath, limit: 1_024)
            let certificate = try Self.readFile(check.certificatePath, limit: 64 * 1_024)
            return CredentialTrust(shc: try VCISnapshot.read(snapshot: bytes, signature: signature, certificate: certificate, at: sourceTime, path: path))
        }
        // Before loose certificates: a self-signed CA certificate is a CSCA, not a Document Signer.
        if CSCAMasterList.looksLike(bytes) {
            return CredentialTrust(icao: try CSCAMasterList.read(bytes, path: path).trust)
        }
        if DIDIssuerDocuments.looksLike(bytes) {
            return CredentialTrust(did: try DIDIssuerDocuments.read(bytes, path: path))
        }
        return try signersInFile(bytes, path: path, mustBeTrust: mustBeTrust).map { CredentialTrust(hcert: TrustList($0)) }
    }

    /// HCERT signers in one file's bytes: a German signed list, PEM or DER certificates.
    private func signersInFile(_ bytes: [UInt8], path: String, mustBeTrust: Bool) throws(TrustSourceError) -> [DocumentSigner]? {

        if GermanDSCList.looksLikeList(bytes) {
            let check: GermanDSCList.SignatureCheck
            if let listKey {
                check = .verify(listKey)
            } else if allowsUnverifiedLists {
                check = .skipExplicitlyUnverified
            } else {
                throw TrustSourceError(.listRefused, path: path, "signed DSC list given without --trust-list-key; refusing to trust it unchecked")
            }
            do {
                return try GermanDSCList.signers(from: bytes, check: check)
            } catch {
                throw TrustSourceError(.listRefused, path: path, error.description)
            }
        }

        if let certificates = try certificatesInFile(bytes, path: path) {
            return certificates.map { DocumentSigner(certificate: $0) }
        }
        if mustBeTrust {
            throw TrustSourceError(
                .unrecognisedFormat, path: path,
                "not a PEM or DER certificate, a signed DSC list, a gateway or GDHCN trust list, an issuer's DID document, a rule or value sets")
        }
        return nil
    }

    /// PEM certificates, or one DER certificate; nil when the bytes are neither.
    private func certificatesInFile(_ bytes: [UInt8], path: String) throws(TrustSourceError) -> [Certificate]? {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("-----BEGIN CERTIFICATE-----") {
            var certificates: [Certificate] = []
            for der in PEM.derBlocks(in: text, label: "CERTIFICATE") { certificates.append(try certificate(der, path: path)) }
            return certificates
        }
        // A certificate is a DER SEQUENCE longer than 127 bytes (0x30 then a long-form length) that opens with
        // another SEQUENCE, its tbsCertificate; a detached ECDSA signature (a SEQUENCE of INTEGERs) is not one.
        // Too short to tell, it is taken for a broken certificate.
        if bytes.count > 2, bytes[0] == 0x30, (0x81...0x83).contains(bytes[1]) {
            let content = 2 + Int(bytes[1] & 0x7F)
            guard content >= bytes.count || bytes[content] == 0x30 else { return nil }
            return [try certificate(bytes, path: path)]
        }
        return nil
    }

    private func certificate(_ der: [UInt8], path: String) throws(TrustSourceError) -> Certificate {
        do {
            return try Certificate(derEncoded: der)
        } catch {
            throw TrustSourceError(.badCertificate, path: path, "certificate does not parse: \(error)")
        }
    }

    /// Reads a public key PEM (`-----BEGIN PUBLIC KEY-----`), e.g. a DSC list's signing key.
    public static func publicKey(fromPEMFile path: String) throws(TrustSourceError) -> PublicKey {
        let bytes = try readFile(path, limit: 64 * 1024)
        do {
            return try PublicKey(pem: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw TrustSourceError(.badKey, path: path, "not a PEM public key: \(error)")
        }
    }

    /// Reads at most `limit` bytes; a longer file is refused without reading it all.
    static func readFile(_ path: String, limit: Int) throws(TrustSourceError) -> [UInt8] {
        do {
            return try Files.readRegularFile(path, limit: limit)
        } catch {
            switch error.reason {
            case .largerThan: throw TrustSourceError(.tooLarge, path: path, "larger than \(limit) bytes")
            case .notRegularFile: throw TrustSourceError(.unreadable, path: path, "not a regular file")
            default: throw TrustSourceError(.unreadable, path: path, error.call == "open" ? "cannot open" : "read failed")
            }
        }
    }
}
