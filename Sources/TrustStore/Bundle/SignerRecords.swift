import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON

/// The `signers` section: Document Signer Certificates with the kid and country they are filed under.
///
/// `{"signers":[{"certificate":…,"country":…,"kid":…}]}`: compact, members sorted, `country` left out
/// when unknown, and `/` written `\/` as Foundation's `JSONEncoder` wrote this section before the JSON
/// module existed, so a bundle built from the same signers keeps its bytes.
struct SignerRecords {
    struct Record {
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
        let records: [JSONValue] = signers.map { record in
            var members = JSONObject([("kid", .string(record.kid)), ("certificate", .string(record.certificate))])
            members["country"] = record.country.map { .string($0) }
            return .object(members)
        }
        return JSONWriter.bytes(["signers": .array(records)], memberOrder: .sortedByUTF16, escapingSlashes: true)
    }

    /// Parses the section into signers; any entry that does not parse refuses the whole section.
    static func signers(from bytes: [UInt8]) throws(TrustStoreError) -> [DocumentSigner] {
        guard let records = try? JSONParser.parse(skippingByteOrderMark: bytes, limits: JSONLimits(maxBytes: BundleSection.signers.maximumLength)),
              let signers = SignerRecords(json: records)?.signers
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

    /// The rules the Codable form had: `kid` and `certificate` strings required, `country` a string,
    /// `null` or absent; unknown members ignored. Nil when the shape is wrong.
    private init?(json: JSONValue) {
        guard let entries = json["signers"]?.array else { return nil }
        var records: [Record] = []
        records.reserveCapacity(entries.count)
        for entry in entries {
            guard let kid = entry["kid"]?.string, let certificate = entry["certificate"]?.string,
                  let country = entry.optionalMember("country", as: \.string)
            else { return nil }
            records.append(Record(kid: kid, country: country, certificate: certificate))
        }
        signers = records
    }
}
