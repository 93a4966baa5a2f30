import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON

/// The trust of the ICAO framework: Country Signing CA certificates (CSCAs) and the CRLs they publish. A seal's
/// Barcode Signer Certificate must chain to one of the CSCAs.
///
/// Immutable; the X.509 store over the CSCAs is built once, here, and shared by every verification. CRLs whose
/// signature does not verify with a CSCA of their issuer's name are kept (they round-trip) but never consulted.
public struct ICAOTrust: Sendable {
    /// Most CSCAs or CRLs in one trust value (national master lists hold under 1,000 CSCAs).
    public static let maxEntries = 10_000
    /// Largest section accepted.
    public static let maxSectionSize = 64 << 20

    public static let empty = ICAOTrust()

    /// The CSCAs, in the order given, without duplicates (by SHA-256 of the DER).
    public let cscas: [Certificate]
    /// The CRLs, in the order given, without duplicates (by DER).
    public let crls: [CertificateRevocationList]
    /// The path over ``cscas``; nil when there are none.
    let path: CertificateAuthorityPath?
    /// CRLs whose signature verified with a CSCA named as their issuer.
    let verifiedCRLs: [CertificateRevocationList]

    /// Number of CSCAs.
    public var count: Int { cscas.count }

    private init() {
        cscas = []
        crls = []
        path = nil
        verifiedCRLs = []
    }

    /// Trust from parsed CSCAs and CRLs; duplicates are dropped.
    /// Certificates that are not CAs are kept (master lists carry a few link certificates without
    /// basicConstraints, and they round-trip) but are never anchors: every anchor is trusted on its own, so a
    /// Barcode Signer placed among the CSCAs must not become one. Loose CSCA files are held to more
    /// (``CSCAMasterList`` wants self-signed CAs).
    /// - Throws: `.badTrustList` for more than ``maxEntries`` of either.
    public init(cscas: [Certificate], crls: [CertificateRevocationList] = []) throws(CredentialError) {
        var seen = Set<[UInt8]>()
        let uniqueCSCAs = cscas.filter { seen.insert($0.sha256Fingerprint).inserted }
        seen = []
        let uniqueCRLs = crls.filter { seen.insert($0.derBytes).inserted }
        guard uniqueCSCAs.count <= Self.maxEntries, uniqueCRLs.count <= Self.maxEntries else {
            throw CredentialError(.badTrustList, "more than \(Self.maxEntries) CSCAs or CRLs")
        }
        self.cscas = uniqueCSCAs
        self.crls = uniqueCRLs
        let anchors = uniqueCSCAs.filter(\.isCertificateAuthority)
        if anchors.isEmpty {
            path = nil
        } else {
            do {
                path = try CertificateAuthorityPath(anchors: anchors)
            } catch {
                throw CredentialError(.badTrustList, "cannot build the CSCA store: \(error)")
            }
        }
        verifiedCRLs = uniqueCRLs.filter { crl in anchors.contains { crl.isSigned(by: $0) } }
    }

    /// This trust and `other`'s, this one's entries first.
    public func merging(_ other: ICAOTrust) throws(CredentialError) -> ICAOTrust {
        try ICAOTrust(cscas: cscas + other.cscas, crls: crls + other.crls)
    }

    // MARK: - Trust bundle section

    /// `{"crls":[base64 DER…],"cscas":[base64 DER…]}`, members sorted, standard base64, entries in held order.
    public var sectionBytes: [UInt8] {
        let value: JSONValue = [
            "cscas": .array(cscas.map { .string(Data($0.derBytes).base64EncodedString()) }),
            "crls": .array(crls.map { .string(Data($0.derBytes).base64EncodedString()) }),
        ]
        return JSONWriter.bytes(value, memberOrder: .sortedByUTF16)
    }

    /// Reads ``sectionBytes``: exactly the two members, canonical base64, every entry parsing, no duplicates.
    /// - Throws: `.badTrustList` for anything else.
    public init(sectionBytes: [UInt8]) throws(CredentialError) {
        guard sectionBytes.count <= Self.maxSectionSize else {
            throw CredentialError(.badTrustList, "ICAO section of \(sectionBytes.count) bytes exceeds \(Self.maxSectionSize)")
        }
        let limits = JSONLimits(maxBytes: Self.maxSectionSize, maxDepth: 2, maxItems: 2 * Self.maxEntries + 3, maxStringLength: 1 << 20)
        guard let section = try? JSONParser.parse(sectionBytes, limits: limits), let object = section.object,
            Set(object.names) == ["cscas", "crls"], object.count == 2,
            let cscaTexts = object["cscas"]?.array, let crlTexts = object["crls"]?.array
        else { throw CredentialError(.badTrustList, "ICAO section is not {\"crls\":[…],\"cscas\":[…]}") }
        var cscas: [Certificate] = []
        for text in cscaTexts {
            let der = try Self.decodeBase64(text)
            do {
                cscas.append(try Certificate(derEncoded: der))
            } catch {
                throw CredentialError(.badTrustList, "ICAO section CSCA \(cscas.count): \(error.code)")
            }
        }
        var crls: [CertificateRevocationList] = []
        for text in crlTexts {
            let der = try Self.decodeBase64(text)
            do {
                crls.append(try CertificateRevocationList(derEncoded: der))
            } catch {
                throw CredentialError(.badTrustList, "ICAO section CRL \(crls.count): \(error.code)")
            }
        }
        try self.init(cscas: cscas, crls: crls)
        guard self.cscas.count == cscas.count, self.crls.count == crls.count else {
            throw CredentialError(.badTrustList, "ICAO section holds duplicates")
        }
    }

    private static func decodeBase64(_ value: JSONValue) throws(CredentialError) -> [UInt8] {
        guard let text = value.string, let data = Data(base64Encoded: text), data.base64EncodedString() == text else {
            throw CredentialError(.badTrustList, "ICAO section entry is not canonical base64")
        }
        return Array(data)
    }

    // MARK: - Use

    /// The verified CRLs (signed by a CSCA of the certificate's issuer name) that list `certificate`.
    func revokingCRLs(for certificate: Certificate) -> [CertificateRevocationList] {
        verifiedCRLs.filter { $0.lists(certificate) }
    }
}
extension ICAOTrust: FrameworkTrust {}
