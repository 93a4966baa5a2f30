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
            let signer: DocumentSigner
            do {
                signer = try DocumentSigner(base64Kid: record.kid, base64Certificate: record.certificate, country: record.country, entry: index)
            } catch {
                throw TrustStoreError(.badContents, "signers section, \(error.detail)")
            }
            guard signer.kid.count == COSESign1.kidLength else {
                throw TrustStoreError(.badContents, "signers section, entry \(index): kid is not \(COSESign1.kidLength) bytes")
            }
            signers.append(signer)
        }
        return signers
    }
}
