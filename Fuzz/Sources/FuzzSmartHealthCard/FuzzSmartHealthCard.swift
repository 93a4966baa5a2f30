import Foundation
import FuzzDriver
import HealthCredentials
import SmartHealthCards

// SMART Health Cards: the numeric `shc:/` QR text and its chunks, the compact JWS inside (header, raw-deflated
// payload, signature) and the issuer directory of a trust bundle's section. The input also goes to the verifier
// as the JWS itself, so its whole path is reached from JWS-shaped inputs rather than only from the rare mutation
// that is valid numeric text. Any verdict, or a CredentialError, is fine.
private let verifier = SHCVerifier(directory: .empty)
private let context = VerificationContext(now: Date(timeIntervalSince1970: 1_660_000_000))

@main
enum FuzzSmartHealthCard {
    static func main() {
        FuzzDriver.run { bytes in
            _ = try? SHCNumericQR(scanned: bytes)
            _ = verifier.verify(payload: bytes, in: context)
            _ = verifier.verify(jws: bytes, in: context)
            // Several chunks, one per line, in any order.
            _ = verifier.verify(parts: bytes.split(separator: UInt8(ascii: "\n")).map(Array.init), in: context)
            _ = try? SHCIssuerDirectory(sectionBytes: bytes)
        }
    }
}
