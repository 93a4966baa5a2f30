import HealthCredentialsTesting

extension TestCorpus {
    // The fixtures used here.
    static let vietnameseSample = "samples/vn-vaccination.png"  // a JPEG despite the name
    static let vietnameseText = "samples/vn-vaccination.hc1.txt"
    static let spuriousI25Sample = "samples/mk-test-spurious-i25.png"
    static let spuriousI25Text = "samples/mk-test-spurious-i25.hc1.txt"
    static let smartHealthCardJPEG = "shc/validator-testdata/testdata/test-example-00-g-qr-code-0-scaled-85.jpg"
    static let cyprusScreenshotJPEG = "dgc-testdata/CY/Test/Validation/png/DK/DK_5_Vac_Valid.jpg"
}
