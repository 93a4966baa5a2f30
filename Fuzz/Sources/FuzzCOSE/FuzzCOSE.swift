import CBOR
import Foundation
import FuzzDriver
import HealthCredentials
import Zlib

// The HC1 chain from the COSE layer down (COSE_Sign1, its protected header, the CWT claims, the certificate
// schema), mutated as CBOR items rather than as bytes (CBORItemMutator): a byte flip in a COSE structure is
// nearly always a CBOR error, so raw mutation seldom reaches the layers behind it. Each input goes to the verifier
// as COSE bytes and again as a whole `HC1:` payload (zlib and Base45 around it). Any verdict is fine.
private let verifier = HC1Verifier(trustList: .empty)
private let context = VerificationContext(now: Date(timeIntervalSince1970: 1_660_000_000))

@main
enum FuzzCOSE {
    static func main() {
        FuzzDriver.run { bytes in
            _ = verifier.verify(coseBytes: bytes, in: context)
            _ = verifier.verify(payload: Array(("HC1:" + Base45.encode(Deflate.zlib(bytes, level: 1))).utf8), in: context)
        }
    }
}

// libFuzzer calls this instead of its own byte mutations.
@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    CBORItemMutator.mutate(data, size, maxSize, seed)
}
