import CodeScanning
import Testing

/// Records an issue unless `body` throws a `CodeScanningError` with exactly `code`; returns the error.
@discardableResult
func expectCode<T>(
    _ code: CodeScanningError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(CodeScanningError) -> T
) -> CodeScanningError? {
    do {
        let value = try body()
        Issue.record("expected CodeScanningError.\(code), got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    }
}
