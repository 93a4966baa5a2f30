import CodeScanning
import Foundation
import GateCheckTestSupport
import Imaging
import Testing

/// `CodeInputs` re-raises Imaging's errors as `CodeScanningError`s: same code, same detail.
@Suite("CodeInputs")
struct CodeInputTests {
    @Test func unreadableImageKeepsImagingsCodeAndDetail() throws {
        let directory = try TemporaryDirectory("codescanning")
        let path = directory.file("truncated.pgm")
        try Data(HandBuiltImages.pgm("P5 9 9 255\n", [1])).write(to: URL(fileURLWithPath: path))
        let inputs = CodeInputs.read(path, scanner: try QRScanner())
        guard inputs.count == 1, case .unreadable(let error)? = inputs.first?.content else {
            Issue.record("expected one unreadable input, got \(inputs.map(\.content))")
            return
        }
        #expect(error.code == .imaging(.corruptImage))
        #expect(error.detail == "\(path): PGM raster is truncated: 1 of 81 bytes")
        #expect(error.description == "corruptImage: \(error.detail)")
    }
}
