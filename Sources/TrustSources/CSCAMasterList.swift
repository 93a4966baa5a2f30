import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import VisibleDigitalSeals

/// ICAO trust sources for VDS-NC seals, recognised by content:
/// - a CSCA master list as published (CMS SignedData, eContentType 2.23.136.1.1.2): its CMS signature is checked
///   with the embedded Master List Signer certificate first, and that signer is reported;
/// - the bare `CscaMasterList` content (`SEQUENCE { version, SET OF Certificate }`, as `openssl cms -verify
///   -noverify` unwraps it);
/// - loose CSCA certificates, PEM or DER, each a self-signed CA certificate;
/// - a CSCA's CRL (DER).
public enum CSCAMasterList {
    /// Real master lists are about 1 MB.
    public static let maximumSize = CSCAMasterListMessage.maxEncodedSize

    /// What one source gave.
    public struct Contents: Sendable {
        public let trust: ICAOTrust
        /// The Master List Signer whose CMS signature verified; nil for sources that are not signed.
        public let signer: Certificate?
    }

    /// DER `SEQUENCE` holding `signedData` (1.2.840.113549.1.7.2) whose encapsulated content type, in its first
    /// bytes, is `id-icao-cscaMasterList`.
    public static func looksLikeSignedMasterList(_ bytes: [UInt8]) -> Bool {
        let signedData: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02]
        let masterList: [UInt8] = [0x06, 0x06, 0x67, 0x81, 0x08, 0x01, 0x01, 0x02]
        let head = Array(bytes.prefix(96))
        return head.first == DERReader.sequence && contains(head, signedData) && contains(head, masterList)
    }

    /// `SEQUENCE { INTEGER, SET { SEQUENCE … } }` at the start, as the unwrapped content is.
    public static func looksLikeMasterListContent(_ bytes: [UInt8]) -> Bool {
        var outer = DERReader(bytes[...])
        guard let list = outer.next(), list.tag == DERReader.sequence, outer.isAtEnd else { return false }
        var fields = DERReader(list.content)
        guard let version = fields.next(), version.tag == DERReader.integer, let set = fields.next(), set.tag == DERReader.set else {
            return false
        }
        return set.content.first == DERReader.sequence
    }

    /// One DER X.509 CRL.
    public static func looksLikeRevocationList(_ bytes: [UInt8]) -> Bool {
        (try? CertificateRevocationList(derEncoded: bytes)) != nil
    }

    /// PEM or DER certificates, every one a self-signed CA certificate.
    public static func looksLikeCSCACertificates(_ bytes: [UInt8]) -> Bool {
        guard let certificates = try? certificates(inCertificateFile: bytes), !certificates.isEmpty else { return false }
        return certificates.allSatisfy(\.isSelfSignedCertificateAuthority)
    }

    /// Any of the four.
    public static func looksLike(_ bytes: [UInt8]) -> Bool {
        looksLikeSignedMasterList(bytes) || looksLikeMasterListContent(bytes) || looksLikeRevocationList(bytes) || looksLikeCSCACertificates(bytes)
    }

    /// Reads one source; `path` only names it in errors.
    /// - Throws: `.tooLarge` above ``maximumSize``; `.listRefused` for a master list whose CMS signature does not
    ///   verify (or is not of the expected shape); `.badCertificate` for a CSCA that does not parse or a loose
    ///   certificate that is not a self-signed CA; `.unrecognisedFormat` for anything else.
    public static func read(_ bytes: [UInt8], path: String) throws(TrustSourceError) -> Contents {
        guard bytes.count <= maximumSize else {
            throw TrustSourceError(.tooLarge, path: path, "\(bytes.count) bytes exceeds \(maximumSize)")
        }
        if looksLikeSignedMasterList(bytes) {
            let verified: (content: [UInt8], signer: Certificate)
            do {
                verified = try CSCAMasterListMessage.verifiedContent(of: bytes)
            } catch {
                throw TrustSourceError(.listRefused, path: path, "CSCA master list refused: \(error)")
            }
            return Contents(trust: try trust(fromContent: verified.content, path: path), signer: verified.signer)
        }
        if looksLikeMasterListContent(bytes) {
            return Contents(trust: try trust(fromContent: bytes, path: path), signer: nil)
        }
        if let crl = try? CertificateRevocationList(derEncoded: bytes) {
            return Contents(trust: try make(cscas: [], crls: [crl], path: path), signer: nil)
        }
        let certificates: [Certificate]
        do {
            certificates = try Self.certificates(inCertificateFile: bytes)
        } catch {
            throw TrustSourceError(.unrecognisedFormat, path: path, "neither a CSCA master list, a CRL nor CSCA certificates")
        }
        guard !certificates.isEmpty else {
            throw TrustSourceError(.unrecognisedFormat, path: path, "neither a CSCA master list, a CRL nor CSCA certificates")
        }
        for (index, certificate) in certificates.enumerated() where !certificate.isSelfSignedCertificateAuthority {
            throw TrustSourceError(.badCertificate, path: path, "certificate \(index) is not a self-signed CA certificate (a CSCA)")
        }
        return Contents(trust: try make(cscas: certificates, crls: [], path: path), signer: nil)
    }

    // MARK: - Internals

    private static func trust(fromContent content: [UInt8], path: String) throws(TrustSourceError) -> ICAOTrust {
        let encodings: [[UInt8]]
        do {
            encodings = try CSCAMasterListMessage.certificateEncodings(inContent: content)
        } catch {
            throw TrustSourceError(.unrecognisedFormat, path: path, "not a CSCA master list content: \(error)")
        }
        var cscas: [Certificate] = []
        cscas.reserveCapacity(encodings.count)
        for (index, der) in encodings.enumerated() {
            do {
                cscas.append(try Certificate(derEncoded: der))
            } catch {
                throw TrustSourceError(.badCertificate, path: path, "CSCA \(index) of the master list: \(error)")
            }
        }
        return try make(cscas: cscas, crls: [], path: path)
    }

    private static func make(cscas: [Certificate], crls: [CertificateRevocationList], path: String) throws(TrustSourceError) -> ICAOTrust {
        do {
            return try ICAOTrust(cscas: cscas, crls: crls)
        } catch {
            throw TrustSourceError(.badCertificate, path: path, error.detail)
        }
    }

    /// PEM `CERTIFICATE` blocks, or else one DER certificate.
    private static func certificates(inCertificateFile bytes: [UInt8]) throws(CryptoError) -> [Certificate] {
        let marker = Array("-----BEGIN CERTIFICATE-----".utf8)
        if contains(Array(bytes.prefix(4096)), marker) {
            var certificates: [Certificate] = []
            for der in PEM.derBlocks(in: String(decoding: bytes, as: UTF8.self), label: "CERTIFICATE") {
                certificates.append(try Certificate(derEncoded: der))
            }
            return certificates
        }
        return [try Certificate(derEncoded: bytes)]
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in haystack[start..<start + needle.count].elementsEqual(needle) }
    }
}
