#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A named, joinable OS thread for the pipeline's blocking loops (camera reads, zbar), which must never run
/// on Swift's cooperative pool. Foundation's Thread cannot be joined; this can.
struct PipelineThread: @unchecked Sendable {
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
    static func start(_ body: @escaping @Sendable () -> Void) -> PipelineThread? {
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
        return PipelineThread(handle: handle)
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
        return PipelineThread(handle: handle)
        #endif
    }

    /// Waits for the thread to finish. Call exactly once, never from the thread itself.
    func join() {
        _ = pthread_join(handle, nil)
    }

    /// Whether the caller is this thread.
    var isCurrent: Bool {
        pthread_equal(pthread_self(), handle) != 0
    }
}
