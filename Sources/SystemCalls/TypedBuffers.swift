/// An array's bytes to a closure that throws a typed error; the standard library's `withUnsafe…Bytes`
/// only rethrows untyped errors.
public func withMutableBytes<Result, Failure: Error>(
    of array: inout [UInt8], _ body: (UnsafeMutableRawBufferPointer) throws(Failure) -> Result
) throws(Failure) -> Result {
    try array.withUnsafeMutableBytes { buffer in Swift.Result { () throws(Failure) -> Result in try body(buffer) } }.get()
}

/// The read-only form of `withMutableBytes(of:_:)`.
public func withBytes<Result, Failure: Error>(
    of array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
) throws(Failure) -> Result {
    try array.withUnsafeBytes { buffer in Swift.Result { () throws(Failure) -> Result in try body(buffer) } }.get()
}
