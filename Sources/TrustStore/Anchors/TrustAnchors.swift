import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import TrustSources

/// The CA certificates pinned on the device that may sign trust bundles (`/etc/gatecheck/anchors`).
public enum TrustAnchors {
    public static let defaultDirectory = "/etc/gatecheck/anchors"

    /// Every PEM or DER certificate directly in `directory` (other files are ignored).
    public static func load(directory: String) throws(TrustStoreError) -> [Certificate] {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory else {
            throw TrustStoreError(.badInput, "anchor directory \(directory) does not exist")
        }
        let anchors: [Certificate]
        do {
            anchors = try TrustLoader().certificates(paths: [directory])
        } catch {
            throw TrustStoreError(.badInput, "anchors: \(error)")
        }
        guard !anchors.isEmpty else { throw TrustStoreError(.badInput, "no anchor certificates in \(directory)") }
        return anchors
    }
}
