#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable OS thread for blocking loops (camera reads, zbar; the daemon's lamp, housekeeping and status loops),
/// which must never run on Swift's cooperative pool. Foundation's Thread cannot be joined; this can.
public struct JoinableThread: @unchecked Sendable {
    private let handle: pthread_t

    /// Final class so the body can cross into the C entry point as one retained pointer.
    private final class Context {
        let body: @Sendable () -> Void

        init(body: @escaping @Sendable () -> Void) {
            self.body = body
        }
    }

    /// Starts `body` on a new thread. Returns nil if the system refuses to create one.
    /// (No thread names: glibc's pthread_setname_np is not visible to Swift without _GNU_SOURCE.)
    public static func start(_ body: @escaping @Sendable () -> Void) -> JoinableThread? {
        let context = Unmanaged.passRetained(Context(body: body)).toOpaque()
        #if canImport(Glibc)
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { argument in
            let context = Unmanaged<Context>.fromOpaque(argument!).takeRetainedValue()
            context.body()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Context>.fromOpaque(context).release()
            return nil
        }
        return JoinableThread(handle: handle)
        #else
        var handle: pthread_t?
        let result = pthread_create(&handle, nil, { argument in
            let context = Unmanaged<Context>.fromOpaque(argument).takeRetainedValue()
            context.body()
            return nil
        }, context)
        guard result == 0, let handle else {
            Unmanaged<Context>.fromOpaque(context).release()
            return nil
        }
        return JoinableThread(handle: handle)
        #endif
    }

    /// Waits for the thread to finish. Call exactly once, never from the thread itself.
    public func join() {
        _ = pthread_join(handle, nil)
    }

    /// Whether the caller is this thread.
    public var isCurrent: Bool {
        pthread_equal(pthread_self(), handle) != 0
    }
}
