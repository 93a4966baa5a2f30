import AdmissionRules
import GateCheckCrypto
import HealthCredentials
import NZCovidPass
import SmartHealthCards
import VisibleDigitalSeals

/// `--include-country` / `--exclude-country`: the trust an authority keeps, by the country each key or rule is filed
/// under. Codes are ISO 3166 alpha-2, or alpha-3 where a source files under alpha-3 (GDHCN participants).
///
/// What a key's countries are, per source:
/// - HCERT signers from the German DSC list or the EU gateway trust list: the entry's `country` (else the DSC's subject C);
/// - HCERT signers from PEM/DER files: the DSC's subject C;
/// - HCERT signers from the GDHCN trust list: the DSC's subject C **and** the participant's alpha-3 code (the last part
///   of the key's `controller`); either matches;
/// - ICAO CSCAs: the CSCA's subject C; a CRL goes with the CSCA that signed it;
/// - SMART Health Card issuers, NZCP DID issuers, and CRLs no CSCA signed: no country (unknown);
/// - admission rules: their `Country`.
///
/// Included codes keep only what matches one of them; excluded codes then drop what matches one of them. Unknown
/// countries are dropped by `--include-country` and kept by `--exclude-country` alone.
public struct CountryFilter: Sendable, Equatable {
    public let included: Set<String>
    public let excluded: Set<String>

    /// No filter: everything is kept.
    public static let none = CountryFilter(checkedInclude: [], exclude: [])

    private init(checkedInclude include: Set<String>, exclude: Set<String>) {
        included = include
        excluded = exclude
    }

    /// Codes are two or three ASCII letters, in any case.
    public init(include: [String], exclude: [String]) throws(TrustSourceError) {
        func codes(_ given: [String], option: String) throws(TrustSourceError) -> Set<String> {
            var codes: Set<String> = []
            for code in given {
                guard (2...3).contains(code.utf8.count), code.utf8.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
                    throw TrustSourceError(.badFilter, path: option, "\(code.prefix(8)) is not an ISO 3166 alpha-2 or alpha-3 code")
                }
                codes.insert(code.uppercased())
            }
            return codes
        }
        self.init(checkedInclude: try codes(include, option: "--include-country"), exclude: try codes(exclude, option: "--exclude-country"))
    }

    public var isEmpty: Bool { included.isEmpty && excluded.isEmpty }

    /// Whether what is filed under `countries` (empty when unknown) is kept.
    public func admits(_ countries: [String]) -> Bool {
        let codes = Set(countries.map { $0.uppercased() })
        if !included.isEmpty && codes.isDisjoint(with: included) { return false }
        return codes.isDisjoint(with: excluded)
    }

    /// The GDHCN signers this filter keeps: by their country or by their participant (`participants`, in their order).
    public func filter(gdhcnSigners signers: [DocumentSigner], participants: [String?]) -> [DocumentSigner] {
        zip(signers, participants).filter { admits([$0.country, $1].compactMap { $0 }) }.map(\.0)
    }

    /// The trust this filter keeps, framework by framework (see the type's documentation).
    public func filter(_ trust: CredentialTrust) throws(CredentialError) -> CredentialTrust {
        guard !isEmpty else { return trust }
        let cscas = trust.icao.cscas.filter { admits([$0.subjectCountry].compactMap { $0 }) }
        let kept = Set(cscas.map(\.sha256Fingerprint))
        let crls = trust.icao.crls.filter { crl in
            let issuers = trust.icao.cscas.filter { crl.isSigned(by: $0) }
            return issuers.isEmpty ? admits([]) : issuers.contains { kept.contains($0.sha256Fingerprint) }
        }
        let keepsUnknown = admits([])
        return CredentialTrust(
            hcert: TrustList(trust.hcert.allSigners.filter { admits([$0.country].compactMap { $0 }) }),
            shc: keepsUnknown ? trust.shc : .empty,
            icao: try ICAOTrust(cscas: cscas, crls: crls),
            did: keepsUnknown ? trust.did : .empty)
    }

    public func filter(_ rules: [ValidationRule]) -> [ValidationRule] {
        rules.filter { admits([$0.country]) }
    }
}
