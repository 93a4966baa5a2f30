import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON

/// The `signers` section: Document Signer Certificates with the kid and country they are filed under.
///
/// `{"signers":[{"certificate":…,"country":…,"kid":…}]}`: compact, members sorted, `country` left out
/// when unknown, and `/` written `\/` as Foundation's `JSONEncoder` wrote this section before the JSON
/// module existed, so a bundle built from the same signers keeps its bytes.
struct SignerRecords: Codable {
    struct Record: Codable {
        let kid: String
        let country: String?
        let certificate: String
    }

    let signers: [Record]

    init(_ signers: [DocumentSigner]) {
        self.signers = signers.map {
            Record(kid: Data($0.kid).base64EncodedString(), country: $0.country,
                   certificate: Data($0.certificate.derBytes).base64EncodedString())
        }
    }

    func encoded() -> [UInt8] {
        // Strings only: encoding cannot fail.
        let records = try! JSONValueEncoder().encode(self)
        return JSONWriter.bytes(records, memberOrder: .sortedByUTF16, escapingSlashes: true)
    }

    /// Parses the section into signers; any entry that does not parse refuses the whole section.
    static func signers(from bytes: [UInt8]) throws(TrustStoreError) -> [DocumentSigner] {
        guard let records = try? JSONParser.parse(skippingByteOrderMark: bytes, limits: JSONLimits(maxBytes: BundleSection.signers.maximumLength)),
              let signers = try? JSONValueDecoder().decode(SignerRecords.self, from: records).signers
        else { throw TrustStoreError(.badContents, "signers section is not valid JSON of the expected shape") }
        var documentSigners: [DocumentSigner] = []
        documentSigners.reserveCapacity(signers.count)
        for (index, record) in signers.enumerated() {
            let signer: DocumentSigner
            do {
                signer = try DocumentSigner(base64Kid: record.kid, base64Certificate: record.certificate, country: record.country, entry: index)
            } catch {
                throw TrustStoreError(.badContents, "signers section, \(error.detail)")
            }
            guard signer.kid.count == COSESign1.kidLength else {
                throw TrustStoreError(.badContents, "signers section, entry \(index): kid is not \(COSESign1.kidLength) bytes")
            }
            documentSigners.append(signer)
        }
        return documentSigners
    }
}
