import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON

/// The WHO Global Digital Health Certification Network (GDHCN) trust list: a DID document
/// (`did:web:tng-cdn.who.int:trustlist`, `-uat`, `-dev`) whose `verificationMethod`s are `JsonWebKey2020` keys with
/// an `x5c` chain, one per Document Signer Certificate, controlled per participant (`…:trustlist:<alpha-3>`).
///
/// Each key's id ends in `#<kid>`, the standard base64 of the HC1 kid (the first 8 bytes of the DSC's SHA-256). A
/// key whose published kid is not its certificate's is left out (and reported), as is a reference (a plain DID string)
/// or a key without `x5c`. The signers it yields are HC1 signers: they go into the HC1 trust list.
///
/// The document's own `proof` (a detached `JsonWebSignature2020` by `…:trustlist:signerinfo`) cannot be checked
/// offline: the signer's key is not in the document and the proof covers a JSON-LD canonical form. The list is
/// trusted by the person who puts it into a signed trust bundle.
public enum GDHCNTrustList {
    public static let maximumSize = 32 << 20
    /// Far more keys than the network's few thousand.
    public static let maximumKeys = 100_000
    static let jsonLimits = JSONLimits(maxBytes: maximumSize, maxDepth: 16, maxItems: 4_000_000, maxStringLength: 64 << 10)

    /// What a list yielded: the signers, and the entries left out with why (for `trust show` and the logs).
    public struct Contents: Sendable {
        public let signers: [DocumentSigner]
        /// Each signer's participant (alpha-3, upper case: the last part of its key's `controller`), when given.
        public let participants: [String?]
        /// Entry ids (or positions) and the reason each was left out. Never personal data: these are key ids.
        public let skipped: [(entry: String, reason: String)]
    }

    /// A DID document whose `verificationMethod`s carry `x5c` chains (plain-JWK DID documents are NZCP issuers).
    public static func looksLike(_ bytes: [UInt8]) -> Bool {
        guard bytes.count <= maximumSize, let document = try? JSONParser.parse(skippingByteOrderMark: bytes, limits: jsonLimits),
            let id = document["id"]?.string, id.hasPrefix("did:"), let methods = document["verificationMethod"]?.array
        else { return false }
        return methods.contains { $0["publicKeyJwk"]?["x5c"] != nil }
    }

    public static func read(_ bytes: [UInt8], path: String) throws(TrustSourceError) -> Contents {
        guard bytes.count <= maximumSize else { throw TrustSourceError(.tooLarge, path: path, "larger than \(maximumSize) bytes") }
        let document: JSONValue
        do {
            document = try JSONParser.parse(skippingByteOrderMark: bytes, limits: jsonLimits)
        } catch {
            throw TrustSourceError(.unrecognisedFormat, path: path, "the GDHCN trust list is not JSON: \(error)")
        }
        guard let id = document["id"]?.string, id.hasPrefix("did:") else {
            throw TrustSourceError(.unrecognisedFormat, path: path, "the GDHCN trust list is not a DID document")
        }
        guard let methods = document["verificationMethod"]?.array else {
            throw TrustSourceError(.unrecognisedFormat, path: path, "the DID document has no verificationMethod array")
        }
        guard methods.count <= maximumKeys else { throw TrustSourceError(.tooLarge, path: path, "more than \(maximumKeys) keys") }
        var signers: [DocumentSigner] = []
        var participants: [String?] = []
        var skipped: [(entry: String, reason: String)] = []
        for (index, method) in methods.enumerated() {
            switch signer(method) {
            case .success(let signer):
                signers.append(signer)
                participants.append(method["controller"]?.string?.split(separator: ":").last.map { $0.uppercased() })
            case .failure(let reason): skipped.append((method["id"]?.string ?? method.string ?? "entry \(index)", reason.detail))
            }
        }
        return Contents(signers: signers, participants: participants, skipped: skipped)
    }

    /// The signer one verificationMethod publishes, or why it is left out.
    static func signer(_ method: JSONValue) -> Result<DocumentSigner, CredentialError> {
        if method.string != nil { return .failure(CredentialError(.badTrustList, "a reference, not a key")) }
        guard let id = method["id"]?.string, let hash = id.lastIndex(of: "#") else {
            return .failure(CredentialError(.badTrustList, "no id ending in #<kid>"))
        }
        guard let publishedKid = Data(base64Encoded: String(id[id.index(after: hash)...])) else {
            return .failure(CredentialError(.badTrustList, "the kid is not base64"))
        }
        guard let leaf = method["publicKeyJwk"]?["x5c"]?.array?.first?.string, let der = Data(base64Encoded: leaf) else {
            return .failure(CredentialError(.badTrustList, "no x5c certificate"))
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: Array(der))
        } catch {
            return .failure(CredentialError(.badTrustList, "the x5c certificate does not parse (\(error.code))"))
        }
        guard Array(publishedKid) == DocumentSigner.kid(for: certificate) else {
            return .failure(CredentialError(.badTrustList, "the published kid is not the certificate's"))
        }
        // The country is the certificate's own C= (as for every DSC list); the participant code names the controller.
        return .success(DocumentSigner(certificate: certificate))
    }
}
