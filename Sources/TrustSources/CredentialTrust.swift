import AdmissionRules
import HealthCredentials
import NZCovidPass
import SmartHealthCards
import VisibleDigitalSeals

/// Every trust framework's keys, each kept apart: a credential is only ever checked against the keys of its
/// own framework. This is what a trust bundle carries and what `--trust` files load into.
///
/// | framework | formats | signers |
/// | --- | --- | --- |
/// | `hcert` | `hc1` (EU DCC, WHO GDHCN) | Document Signer Certificates by kid |
/// | `shc` | `shc` | SMART Health Card issuers' keys and rid revocation lists (VCI directory) |
/// | `icao` | `vds-nc` | Country Signing CAs (master lists) and their CRLs |
/// | `did` | `nzcp` | pinned DID documents' assertion keys |
public struct CredentialTrust: Sendable {
    /// The trust frameworks, by the name `trust show` gives them.
    public enum Framework: String, Sendable, Hashable, CaseIterable {
        case hcert
        case shc
        case icao
        case did
    }

    /// HCERT Document Signers: the EU gateway, national lists, the WHO GDHCN trust list.
    public var hcert: TrustList
    /// SMART Health Card issuers.
    public var shc: SHCIssuerDirectory
    /// ICAO CSCAs and CRLs, for seals.
    public var icao: ICAOTrust
    /// Credential issuers known by DID (NZCP).
    public var did: DIDIssuerKeys

    public init(hcert: TrustList = .empty, shc: SHCIssuerDirectory = .empty, icao: ICAOTrust = .empty, did: DIDIssuerKeys = .empty) {
        self.hcert = hcert
        self.shc = shc
        self.icao = icao
        self.did = did
    }

    public static let empty = CredentialTrust()

    /// Keys (or anchors) per framework, in a fixed order: what `trust show` counts.
    public var counts: [(framework: Framework, count: Int)] {
        Framework.allCases.map { ($0, count(of: $0)) }
    }

    public func count(of framework: Framework) -> Int {
        switch framework {
        case .hcert: hcert.count
        case .shc: shc.count
        case .icao: icao.count
        case .did: did.count
        }
    }

    /// The bundle section of a framework other than `hcert` (whose signers the bundle writes in its own
    /// `signers` section); nil for `hcert` and for a framework with nothing in it.
    public func sectionBytes(of framework: Framework) -> [UInt8]? {
        switch framework {
        case .hcert: nil
        case .shc: shc.count > 0 ? shc.sectionBytes : nil
        case .icao: icao.count > 0 || !icao.crls.isEmpty ? icao.sectionBytes : nil
        case .did: did.count > 0 ? did.sectionBytes : nil
        }
    }

    /// This trust with `framework`'s keys read from a bundle section.
    public func loading(_ framework: Framework, sectionBytes: [UInt8]) throws(CredentialError) -> CredentialTrust {
        switch framework {
        case .hcert: throw CredentialError(.badTrustList, "HCERT signers come from the signers section")
        case .shc:
            var copy = self
            copy.shc = try SHCIssuerDirectory(sectionBytes: sectionBytes)
            return copy
        case .icao:
            var copy = self
            copy.icao = try ICAOTrust(sectionBytes: sectionBytes)
            return copy
        case .did:
            var copy = self
            copy.did = try DIDIssuerKeys(sectionBytes: sectionBytes)
            return copy
        }
    }

    /// Both trusts, framework by framework; throws when a framework's limit is exceeded.
    public func merging(_ other: CredentialTrust) throws(CredentialError) -> CredentialTrust {
        CredentialTrust(
            hcert: hcert.merging(other.hcert), shc: shc.merging(other.shc), icao: try icao.merging(other.icao), did: did.merging(other.did))
    }

    /// One verifier per supported format, each over its own framework's keys.
    ///
    /// - Parameters:
    ///   - revocations: the installed bundle's HCERT revocation tables.
    ///   - admission: admission rules; they apply to EU DCCs only.
    ///   - acceptedFormats: the gate's policy; nil accepts every supported format.
    ///   - acceptedProfiles: the `hc1` credentials the policy accepts; nil accepts all of them.
    public func verifier(
        revocations: any RevocationChecking = NoRevocations(), admission: AdmissionPolicy? = nil, acceptedFormats: Set<CredentialFormat>? = nil,
        acceptedProfiles: Set<CredentialProfile>? = nil
    ) -> CredentialVerifier {
        CredentialVerifier(
            [
                HC1Verifier(trustList: hcert, revocations: revocations, admission: admission), SHCVerifier(directory: shc), VDSNCVerifier(trust: icao),
                NZCPVerifier(issuers: did),
            ],
            acceptedFormats: acceptedFormats, acceptedProfiles: acceptedProfiles
        )
    }
}
