import Foundation
import FuzzDriver
import TrustStore

#if canImport(Glibc)
import Glibc
#endif

// The trust bundle reader: the binary framing, the manifest JSON, the CMS signature (against no anchors, so it
// fails after parsing) and, through the unverified inspection path, the rules and value-set sections. The reader
// works on files, so every input is written to one scratch file (in /dev/shm when there is one) and read from there.
// A VerifiedBundle (never, without anchors) or a TrustStoreError are both fine.
private let verifiers = [
    // The manifest's claimed issuedAt is the chain's time: the manifest is decoded before the CMS.
    TrustBundleVerifier(anchors: [], minimumSequence: nil, signerValidityTime: nil),
    // A given time: the CMS is parsed whatever the manifest holds.
    TrustBundleVerifier(anchors: [], minimumSequence: 1, signerValidityTime: Date(timeIntervalSince1970: 1_660_000_000)),
]

private let scratch: (fd: Int32, path: String) = {
    let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    var template = Array("\(directory)/gatecheck-fuzz-bundle-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    guard fd >= 0 else { fatalError("mkstemp failed: \(errno)") }
    let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    atexit { unlink(scratchPath) }
    scratchPath = path
    return (fd, path)
}()

nonisolated(unsafe) private var scratchPath = ""

@main
enum FuzzTrustBundle {
    static func main() {
        let (fd, path) = scratch
        FuzzDriver.run { bytes in
            guard ftruncate(fd, 0) == 0 else { fatalError("ftruncate failed: \(errno)") }
            let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            guard written == bytes.count else { fatalError("pwrite wrote \(written) of \(bytes.count) bytes") }
            for verifier in verifiers {
                _ = try? verifier.verify(fileDescriptor: fd, path: path)
            }
            _ = try? TrustBundleInspection.ruleContents(path: path)
        }
    }
}
