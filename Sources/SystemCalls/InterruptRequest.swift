#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Ctrl-C as a request to finish, for a command-line loop that should end cleanly (print its last line, close
/// the camera) rather than be killed mid-line. Blocking calls keep retrying EINTR, so the loop sees the request
/// when its current wait ends.
public enum InterruptRequest {
    private static let received = Atomic<Bool>(false)

    /// From now on SIGINT sets ``isPending`` instead of ending the process.
    public static func catchSignal() {
        signal(SIGINT) { _ in InterruptRequest.received.store(true, ordering: .relaxed) }
    }

    /// True once SIGINT arrived after ``catchSignal()``.
    public static var isPending: Bool { received.load(ordering: .relaxed) }
}
