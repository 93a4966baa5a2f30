import Foundation
import FuzzDriver
import HealthCredentials
import VisibleDigitalSeals

// ICAO Visible Digital Seals for non-constrained environments: the seal JSON (header, message, signature, the
// signer certificate in it) and the ICAO trust section (CSCAs and CRLs) of a trust bundle. Any verdict, or a
// CredentialError, is fine.
private let verifier = VDSNCVerifier(trust: .empty)
private let context = VerificationContext(now: Date(timeIntervalSince1970: 1_660_000_000))

@main
enum FuzzVisibleDigitalSeal {
    static func main() {
        FuzzDriver.run { bytes in
            _ = try? VDSNCSeal(payload: bytes)
            _ = verifier.verify(payload: bytes, in: context)
            _ = try? ICAOTrust(sectionBytes: bytes)
        }
    }
}
