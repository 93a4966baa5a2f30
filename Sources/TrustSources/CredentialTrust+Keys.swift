import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import NZCovidPass
import SmartHealthCards
import VisibleDigitalSeals

extension CredentialTrust {
    /// One key (or anchor) of a framework, as listings name it: nothing but public trust material.
    public struct KeyIdentity: Sendable, Hashable {
        /// hcert: the base64 kid; shc: `iss#kid`; icao: the CSCA's SHA-256 in hex; did: the key's `did#fragment`.
        public let id: String
        /// The country the key is filed under (see ``CountryFilter``); nil when unknown.
        public let country: String?
        /// What distinguishes two keys under one id: the certificate's SHA-256, or the public key.
        public let material: [UInt8]
    }

    /// Every key of `framework`, in no particular order.
    public func keyIdentities(of framework: Framework) -> [KeyIdentity] {
        switch framework {
        case .hcert:
            hcert.allSigners.map {
                KeyIdentity(id: Data($0.kid).base64EncodedString(), country: $0.country, material: $0.certificate.sha256Fingerprint)
            }
        case .shc:
            shc.issuers.values.flatMap { issuer in
                issuer.keys.values.map { KeyIdentity(id: "\(issuer.iss)#\($0.kid)", country: nil, material: $0.publicKey.subjectPublicKeyInfoDER) }
            }
        case .icao:
            icao.cscas.map {
                KeyIdentity(
                    id: $0.sha256Fingerprint.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined(), country: $0.subjectCountry,
                    material: $0.sha256Fingerprint)
            }
        case .did:
            did.issuers.flatMap { issuer in did.keyIDs(of: issuer).map { KeyIdentity(id: $0, country: nil, material: []) } }
        }
    }
}
