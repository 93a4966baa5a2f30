#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// The generic part of the layer, on swift-nio's model: retry on EINTR, else throw an error naming the
/// call and its subject.
public enum SystemCall {
    /// Runs `body` (a C call returning -1 with errno set on failure) again while it fails with EINTR.
    @discardableResult
    public static func retrying<Result: BinaryInteger>(
        _ call: String, _ subject: String, _ body: () throws(SystemCallError) -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = try body()
            if result >= 0 { return result }
            let code = currentErrno()
            if code != EINTR { throw SystemCallError(call, subject, errno: Errno(rawValue: code)) }
        }
    }

    /// Like `retrying`, for calls that return a pointer and NULL on failure (opendir).
    public static func retrying<Pointer>(
        _ call: String, _ subject: String, pointer body: () -> Pointer?
    ) throws(SystemCallError) -> Pointer {
        while true {
            if let result = body() { return result }
            let code = currentErrno()
            if code != EINTR { throw SystemCallError(call, subject, errno: Errno(rawValue: code)) }
        }
    }

    /// close(2), once: on Linux the descriptor is gone even when close reports EINTR, so a retry could close one another thread was just given.
    public static func close(_ descriptor: Int32) {
        _ = systemClose(descriptor)
    }

    public static func close(_ descriptor: FileDescriptor) {
        close(descriptor.rawValue)
    }

    /// The calling thread's errno, for a call made outside `retrying`.
    static func currentErrno() -> Int32 {
        errno
    }
}

#if canImport(Glibc)
private let systemClose = Glibc.close
#elseif canImport(Darwin)
private let systemClose = Darwin.close
#endif
