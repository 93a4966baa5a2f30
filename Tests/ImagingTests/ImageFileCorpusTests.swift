import HealthCredentialsTesting
import Imaging
import Testing

/// Decoding real samples from the shared corpus cut short (skipped, with a notice, when it is absent).
@Suite("ImageFile on the corpus", .enabled(if: TestCorpus.isAvailable, "shared corpus not found; see the NOTICE above"))
struct ImageFileCorpusTests {
    /// A JPEG despite its name, and a real PNG: the samples CodeScanningTests scans.
    static let samples = ["samples/vn-vaccination.png", "samples/mk-test-spurious-i25.png"]

    @Test func truncatedCorpusImagesAreCorrupt() throws {
        for sample in Self.samples {
            let bytes = try TestCorpus.bytes(sample)
            for fraction in [2, 4, 10] {
                let truncated = Array(bytes.prefix(bytes.count * (fraction - 1) / fraction))
                expectCode(.corruptImage) { () throws(ImagingError) in try ImageFile.decode(truncated) }
            }
        }
    }
}
