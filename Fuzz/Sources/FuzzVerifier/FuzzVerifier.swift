import Foundation
import FuzzDriver
import HealthCredentials

// Every input is tried three ways: as a QR payload, as COSE bytes after the HC1 layers, and
// with the HC1 prefix added, so the fuzzer reaches Base45, zlib, CBOR, COSE, CWT and the schema.
// Any verdict is fine.
private let verifier = HC1Verifier(trustList: .empty)
private let context = VerificationContext(now: Date(timeIntervalSince1970: 1_660_000_000))
private let prefix = Array("HC1:".utf8)

@main
enum FuzzVerifier {
    static func main() {
        FuzzDriver.run { bytes in
            _ = verifier.verify(payload: bytes, in: context)
            _ = verifier.verify(coseBytes: bytes, in: context)
            _ = verifier.verify(payload: prefix + bytes, in: context)
        }
    }
}
