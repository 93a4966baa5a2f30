import CodedErrors
import Testing

/// A conforming type made only for these tests: a code, a detail, and nothing declared beyond what
/// `CodedError` asks for, so every behaviour checked here comes from the protocol's extension.
private struct SampleError: CodedError {
    struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        var description: String { name }
    }

    let code: Code
    let detail: String

    init(_ code: String, _ detail: String) {
        self.code = Code(name: code)
        self.detail = detail
    }
}

/// A type that keeps its own wording, as CBORError and DaemonSupportError do, but still compares by code.
private struct WordedError: CodedError {
    let code: Int
    let detail: String
    var description: String { "error \(code) (\(detail))" }
}

@Suite("CodedError")
struct CodedErrorTests {
    @Test func errorsWithTheSameCodeAreEqualWhateverTheirDetail() {
        #expect(SampleError("truncated", "at byte 3") == SampleError("truncated", "at byte 9"))
        #expect(SampleError("truncated", "") == SampleError("truncated", "a longer sentence"))
    }

    @Test func errorsWithDifferentCodesDifferEvenWithTheSameDetail() {
        #expect(SampleError("truncated", "same words") != SampleError("trailing-data", "same words"))
    }

    @Test func hashingFollowsTheCodeSoSetsHoldOneErrorPerCode() {
        let errors: Set = [SampleError("a", "first"), SampleError("a", "second"), SampleError("b", "first")]
        #expect(errors.count == 2)
        #expect(Set(errors.map(\.code.name)) == ["a", "b"])
        #expect(SampleError("a", "x").hashValue == SampleError("a", "y").hashValue)
    }

    @Test func descriptionIsTheCodeThenTheDetail() {
        let error = SampleError("file-too-large", "scan.png: 9 bytes exceeds the limit of 8")
        #expect(error.description == "file-too-large: scan.png: 9 bytes exceeds the limit of 8")
        #expect("\(error)" == error.description)
        #expect(String(describing: error as any Error) == error.description)
    }

    @Test func aTypeWithItsOwnDescriptionKeepsItAndStillComparesByCode() {
        let error = WordedError(code: 7, detail: "why")
        #expect("\(error)" == "error 7 (why)")
        #expect(error == WordedError(code: 7, detail: "other"))
        #expect(error != WordedError(code: 8, detail: "why"))
    }

    @Test func thrownErrorsKeepTheirCodeThroughTypedThrows() {
        func fail() throws(SampleError) { throw SampleError("denied", "no") }
        #expect(throws: SampleError("denied", "any wording")) { try fail() }
    }
}
