import Imaging
import Testing

/// Records an issue unless `body` throws an `ImagingError` with exactly `code`; returns the error.
@discardableResult
func expectCode<T>(
    _ code: ImagingError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(ImagingError) -> T
) -> ImagingError? {
    do {
        let value = try body()
        Issue.record("expected ImagingError.\(code), got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    }
}
