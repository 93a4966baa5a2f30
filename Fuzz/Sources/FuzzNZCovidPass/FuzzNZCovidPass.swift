import Foundation
import FuzzDriver
import HealthCredentials
import NZCovidPass

// The New Zealand COVID Pass: `NZCP:/1/` and base32, then COSE and the CWT claims, and the DID documents of a trust
// bundle's section. The input is also base32-encoded behind the prefix, so COSE and the claims are reached from
// CBOR-shaped inputs rather than only from the rare mutation that is valid base32. Any verdict, or a
// CredentialError, is fine.
private let verifier = NZCPVerifier(issuers: .empty)
private let context = VerificationContext(now: Date(timeIntervalSince1970: 1_660_000_000))
private let prefix = Array("NZCP:/1/".utf8)

@main
enum FuzzNZCovidPass {
    static func main() {
        FuzzDriver.run { bytes in
            _ = try? Base32.decode(bytes)
            _ = verifier.verify(payload: bytes, in: context)
            _ = verifier.verify(payload: prefix + Array(Base32.encode(bytes).utf8), in: context)
            _ = try? NZCPClaims(decoding: bytes)
            _ = try? DIDIssuerKeys(sectionBytes: bytes)
        }
    }
}
