import Foundation
import GateCheckCrypto
import HealthCredentials

/// The `signers` section: Document Signer Certificates with the kid and country they are filed under.
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try! encoder.encode(self))  // strings only: cannot fail
    }

    /// Parses the section into signers; any entry that does not parse refuses the whole section.
    static func signers(from bytes: [UInt8]) throws(TrustStoreError) -> [DocumentSigner] {
        let records: SignerRecords
        do {
            records = try JSONDecoder().decode(SignerRecords.self, from: Data(bytes))
        } catch {
            throw TrustStoreError(.badContents, "signers section is not valid JSON of the expected shape")
        }
        var signers: [DocumentSigner] = []
        signers.reserveCapacity(records.signers.count)
        for (index, record) in records.signers.enumerated() {
            guard let kid = Data(base64Encoded: record.kid), kid.count == COSESign1.kidLength,
                  let der = Data(base64Encoded: record.certificate)
            else { throw TrustStoreError(.badContents, "signer \(index): kid or certificate is not valid base64") }
            do {
                signers.append(DocumentSigner(certificate: try Certificate(derEncoded: Array(der)), kid: Array(kid), country: record.country))
            } catch {
                throw TrustStoreError(.badContents, "signer \(index): certificate does not parse (\(error.code))")
            }
        }
        return signers
    }
}
