import Foundation
import GateCheckTestSupport
import Testing

@testable import TrustStore

/// The manifest reads and writes through Codable over the one JSON, and keeps the bytes bundles have always had.
@Suite struct BundleEncodingTests {
    static let demoBundle = repositoryRoot + "/demo/trust/gatecheck-trust.bundle"

    @Test func theCommittedDemoManifestReEncodesToItsOwnBytes() throws {
        let manifest = try TrustBundleInspection.manifest(path: Self.demoBundle)
        let bundle = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.demoBundle)))
        let encoded = manifest.encoded()
        let starts = bundle.indices.filter { bundle[$0] == encoded.first && bundle.count - $0 >= encoded.count }
        let found = starts.contains { bundle[$0..<$0 + encoded.count].elementsEqual(encoded) }
        #expect(found, "the manifest written by the old JSONEncoder is not what encoded() writes now")
        #expect(try BundleManifest.decode(encoded) == manifest)
    }

    @Test(arguments: [
        #"{"format":1,"sequence":1,"issuedAt":"2026-01-01T00:00:00Z","notAfter":"2027-01-01T00:00:00Z","producer":"p","files":[{"name":"signers","length":1.5,"sha256":"00"}]}"#,
        #"{"format":1,"sequence":-1,"issuedAt":"2026-01-01T00:00:00Z","notAfter":"2027-01-01T00:00:00Z","producer":"p","files":[]}"#,
        #"{"format":1,"sequence":1,"issuedAt":"yesterday","notAfter":"2027-01-01T00:00:00Z","producer":"p","files":[]}"#,
        #"{"format":1,"sequence":1,"issuedAt":"2026-01-01T00:00:00Z","notAfter":"2027-01-01T00:00:00Z","files":[]}"#,
        #"{"format":1,"format":1,"sequence":1,"issuedAt":"2026-01-01T00:00:00Z","notAfter":"2027-01-01T00:00:00Z","producer":"p","files":[]}"#,
    ])
    func malformedManifestsAreRefused(text: String) {
        #expect(throws: TrustStoreError(.malformed, "")) { try BundleManifest.decode(Array(text.utf8)) }
    }
}
