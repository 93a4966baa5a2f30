import Foundation
import FuzzDriver
import TrustStore

// The trust bundle reader: the binary framing, the manifest JSON, the CMS signature (against no anchors, so it
// fails after parsing) and, through the unverified inspection path, the rules and value-set sections.
// A VerifiedBundle (never, without anchors) or a TrustStoreError are both fine.
private let verifiers = [
    // The manifest's claimed issuedAt is the chain's time: the manifest is decoded before the CMS.
    TrustBundleVerifier(anchors: [], minimumSequence: nil, signerValidityTime: nil),
    // A given time: the CMS is parsed whatever the manifest holds.
    TrustBundleVerifier(anchors: [], minimumSequence: 1, signerValidityTime: Date(timeIntervalSince1970: 1_660_000_000)),
]

private let scratch = ScratchFile(prefix: "gatecheck-fuzz-bundle")

@main
enum FuzzTrustBundle {
    static func main() {
        FuzzDriver.run { bytes in
            scratch.write(bytes)
            for verifier in verifiers {
                _ = try? verifier.verify(fileDescriptor: scratch.fileDescriptor, path: scratch.path)
            }
            _ = try? TrustBundleInspection.ruleContents(path: scratch.path)
        }
    }
}
