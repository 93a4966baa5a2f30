import Foundation

/// Locates the shared test corpus: `$GATECHECK_CORPUS`, else `<repo>/../shared/corpus`.
///
/// Corpus files are read in place and never copied into the repository. When the corpus is missing, corpus-backed
/// tests are disabled via `.enabled(if: Corpus.isAvailable)` and a notice says why.
enum Corpus {
    static let root: String? = {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // CodeScanningTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
        let candidate =
            ProcessInfo.processInfo.environment["GATECHECK_CORPUS"]
            ?? repository.appendingPathComponent("../shared/corpus").standardizedFileURL.path
        if FileManager.default.fileExists(atPath: candidate + "/samples/vn-vaccination.png") {
            return candidate
        }
        print(
            "NOTICE: GateCheck test corpus not found at \(candidate); corpus-backed CodeScanning tests are skipped. "
                + "Set GATECHECK_CORPUS to the corpus folder to run them."
        )
        return nil
    }()

    static var isAvailable: Bool { root != nil }

    static func path(_ relative: String) -> String {
        (root ?? "/nonexistent-corpus") + "/" + relative
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    /// The file's text without its trailing newline.
    static func text(_ relative: String) throws -> String {
        var text = try String(contentsOfFile: path(relative), encoding: .utf8)
        while let last = text.last, last.isNewline {
            text.removeLast()
        }
        return text
    }

    // The fixtures used here.
    static let vietnameseSample = "samples/vn-vaccination.png"  // a JPEG despite the name
    static let vietnameseText = "samples/vn-vaccination.hc1.txt"
    static let spuriousI25Sample = "samples/mk-test-spurious-i25.png"
    static let spuriousI25Text = "samples/mk-test-spurious-i25.hc1.txt"
    static let smartHealthCardJPEG = "shc/validator-testdata/testdata/test-example-00-g-qr-code-0-scaled-85.jpg"
    static let cyprusScreenshotJPEG = "dgc-testdata/CY/Test/Validation/png/DK/DK_5_Vac_Valid.jpg"
}
