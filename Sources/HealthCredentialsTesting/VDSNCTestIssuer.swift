import Foundation
import GateCheckCrypto
import HealthCredentials
import JSON
import VisibleDigitalSeals

/// An ICAO VDS-NC issuer made in code: a CSCA, a Barcode Signer it issued (EKU `2.23.136.1.1.14.2` critical and a
/// Document Type List, as the Australian signer has) and seals signed with raw ES256 over the JCS form of `data`.
/// The state is ICAO's test state Utopia (`UTO`, signer `C=UT`) unless told otherwise.
public struct VDSNCTestIssuer: Sendable {
    public let cscaKey: PrivateKey
    public let csca: Certificate
    public let signerKey: PrivateKey
    public let signer: Certificate
    /// `hdr.is` of the seals.
    public let issuingState: String

    /// Serial number of the Barcode Signer (what a CRL lists to revoke it).
    public static let signerSerialNumber: UInt64 = 0x5EA1
    public static let defaultSignerNotBefore = Date(timeIntervalSince1970: 1_609_459_200)  // 2021-01-01
    public static let defaultSignerNotAfter = Date(timeIntervalSince1970: 1_924_992_000)  // 2031-01-01
    /// A time inside every default validity.
    public static let validTime = Date(timeIntervalSince1970: 1_633_046_400)  // 2021-10-01

    /// - Parameters:
    ///   - documentTypes: the signer's Document Type List (`NV` vaccination, `NT` test).
    ///   - country: the signer's and CSCA's `C`; `issuingState` is what the seals' `hdr.is` says.
    public init(
        issuingState: String = "UTO", country: String = "UT", documentTypes: [String] = ["NV", "NT"],
        signerNotBefore: Date = defaultSignerNotBefore, signerNotAfter: Date = defaultSignerNotAfter,
        signerExtendedKeyUsage: String? = VDSNCVerifier.sealSigningEKU
    ) throws {
        self.issuingState = issuingState
        cscaKey = try PrivateKey.generateP256()
        csca = try Certificate.issue(
            CertificateTemplate(
                commonName: "GateCheck Test CSCA", country: country, notBefore: TestCertificateAuthority.defaultNotBefore,
                notAfter: TestCertificateAuthority.defaultNotAfter, serialNumber: 1, isCertificateAuthority: true),
            subjectKey: cscaKey.publicKey, issuerKey: cscaKey)
        signerKey = try PrivateKey.generateP256()
        var template = CertificateTemplate(
            commonName: "GateCheck Test Barcode Signer", country: country, notBefore: signerNotBefore, notAfter: signerNotAfter,
            serialNumber: Self.signerSerialNumber)
        if let signerExtendedKeyUsage {
            template.customExtensions.append(.init(oid: "2.5.29.37", isCritical: true, value: Self.der(sequenceOfOIDs: [signerExtendedKeyUsage])))
        }
        template.customExtensions.append(
            .init(oid: VDSNCVerifier.documentTypeListOID, isCritical: false, value: Self.documentTypeList(documentTypes)))
        signer = try Certificate.issue(template, subjectKey: signerKey.publicKey, issuerKey: cscaKey, issuer: csca)
    }

    /// Trust holding this issuer's CSCA and the given CRLs.
    public func trust(crls: [CertificateRevocationList] = []) throws -> ICAOTrust {
        try ICAOTrust(cscas: [csca], crls: crls)
    }

    /// A CRL of this CSCA, listing the signer when `revokingSigner`.
    public func revocationList(
        revokingSigner: Bool, thisUpdate: Date = Date(timeIntervalSince1970: 1_630_454_400), nextUpdate: Date? = Date(timeIntervalSince1970: 1_638_316_800)
    ) throws -> CertificateRevocationList {
        try CertificateRevocationList.issue(
            revoking: revokingSigner ? [Self.signerSerialNumber] : [], issuer: csca, issuerKey: cscaKey, thisUpdate: thisUpdate, nextUpdate: nextUpdate)
    }

    /// A CSCA master list (CMS SignedData, eContentType 2.23.136.1.1.2) holding `cscas` (this issuer's CSCA by
    /// default), signed by a Master List Signer this CSCA issues, as states publish them.
    public func signedMasterList(cscas: [Certificate]? = nil, contentType: String = CSCAMasterListMessage.contentTypeOID) throws -> [UInt8] {
        let signerKey = try PrivateKey.generateP256()
        let listSigner = try Certificate.issue(
            CertificateTemplate(
                commonName: "GateCheck Test Master List Signer", country: csca.subjectCountry ?? "UT",
                notBefore: TestCertificateAuthority.defaultNotBefore, notAfter: TestCertificateAuthority.defaultNotAfter, serialNumber: 2),
            subjectKey: signerKey.publicKey, issuerKey: cscaKey, issuer: csca)
        return try CSCAMasterListMessage.sign(
            content: Self.masterListContent(cscas ?? [csca]), key: signerKey, certificate: listSigner, contentType: contentType)
    }

    /// `CscaMasterList ::= SEQUENCE { version INTEGER (0), certList SET OF Certificate }`.
    public static func masterListContent(_ cscas: [Certificate]) -> [UInt8] {
        func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
            var length: [UInt8] = []
            var count = content.count
            if count < 0x80 {
                length = [UInt8(count)]
            } else {
                while count > 0 {
                    length.insert(UInt8(count & 0xFF), at: 0)
                    count >>= 8
                }
                length.insert(0x80 | UInt8(length.count), at: 0)
            }
            return [tag] + length + content
        }
        return tlv(0x30, tlv(0x02, [0]) + tlv(0x31, cscas.flatMap(\.derBytes)))
    }

    /// A seal of `type` over `message` (a sample message of that type by default), `sigvl` padded as real seals
    /// are. `data` is written in the order given, which is not canonical: the signature is over its JCS form.
    public func seal(type: VDSNCSeal.SealType = .vaccination, message: JSONValue? = nil, issuingState: String? = nil) throws -> [UInt8] {
        let data: JSONValue = .object([
            ("hdr", .object([("t", .string(type.rawValue)), ("v", 1), ("is", .string(issuingState ?? self.issuingState))])),
            ("msg", message ?? Self.sampleMessage(type)),
        ])
        let signature = try signerKey.sign(try JSONCanonicalForm.bytes(of: data), algorithm: .ecdsa(hash: .sha256, encoding: .raw))
        let seal: JSONValue = .object([
            ("data", data),
            (
                "sig",
                .object([
                    ("alg", "ES256"), ("cer", .string(Self.padded(Base64URL.encode(signer.derBytes)))),
                    ("sigvl", .string(Self.padded(Base64URL.encode(signature)))),
                ])
            ),
        ])
        return JSONWriter.bytes(seal)
    }

    /// A fictitious holder's message zone of `type`.
    public static func sampleMessage(_ type: VDSNCSeal.SealType) -> JSONValue {
        switch type {
        case .vaccination:
            return .object([
                ("uvci", "U32870"),
                ("pid", .object([("n", "SPECIMEN  ERIKA"), ("dob", "1990-01-02"), ("sex", "F"), ("i", "A1234567Z")])),
                (
                    "ve",
                    [
                        .object([
                            ("des", "XM68M6"), ("nam", "Comirnaty"), ("dis", "RA01.0"),
                            (
                                "vd",
                                [
                                    .object([("dvc", "2021-03-03"), ("seq", 1), ("ctr", "UTO"), ("adm", "RIVM"), ("lot", "VC35679")]),
                                    .object([("dvc", "2021-03-24"), ("seq", 2), ("ctr", "UTO"), ("adm", "RIVM"), ("lot", "VC87540")]),
                                ]
                            ),
                        ])
                    ]
                ),
            ])
        case .test:
            return .object([
                ("utci", "U01932"),
                ("pid", .object([("n", "SPECIMEN  ERIKA"), ("dob", "1990-01-29"), ("dt", "P"), ("dn", "E1234567P")])),
                ("sp", .object([("spn", "General Hospital"), ("ctr", "UTO"), ("cd", .object([("p", "+00068765432")]))])),
                ("dat", .object([("sc", "2021-09-30T12:00:00+00:00"), ("ri", "2021-09-30T14:00:00+00:00")])),
                ("tr", .object([("tc", "molecular(PCR)"), ("r", "negative"), ("m", "nasopharyngeal")])),
            ])
        }
    }

    // MARK: - DER for the signer's extensions

    private static func padded(_ text: String) -> String {
        text + String(repeating: "=", count: (4 - text.count % 4) % 4)
    }

    private static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        // Short lengths only: every structure built here is far below 128 bytes.
        [tag, UInt8(content.count)] + content
    }

    private static func oid(_ dotted: String) -> [UInt8] {
        let arcs = dotted.split(separator: ".").compactMap { UInt64($0) }
        var body: [UInt8] = [UInt8(arcs[0] * 40 + arcs[1])]
        for arc in arcs.dropFirst(2) {
            var chunk: [UInt8] = [UInt8(arc & 0x7F)]
            var rest = arc >> 7
            while rest > 0 {
                chunk.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
                rest >>= 7
            }
            body += chunk
        }
        return tlv(0x06, body)
    }

    private static func der(sequenceOfOIDs oids: [String]) -> [UInt8] {
        tlv(0x30, oids.flatMap(oid))
    }

    private static func documentTypeList(_ codes: [String]) -> [UInt8] {
        tlv(0x30, tlv(0x02, [0]) + tlv(0x31, codes.sorted().flatMap { tlv(0x13, Array($0.utf8)) }))
    }
}
