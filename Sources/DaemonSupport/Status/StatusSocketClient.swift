#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one status reply: connect, read to end of file, close. What `gatecheck status` does.
public enum StatusSocketClient {
    /// The bytes the server sent. Every wait (connect, each read) is bounded by `timeout` overall, and
    /// a reply longer than `limit` bytes is refused rather than buffered.
    public static func fetch(
        path: String, timeout: Duration = .seconds(2), limit: Int = 1 << 20
    ) throws(DaemonSupportError) -> [UInt8] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        let address = try UnixStreamSocket.address(path)
        let fd = try UnixStreamSocket.open(path)
        defer { Syscall.close(fd) }
        // A blocking connect waits while the server's backlog is full; the send timeout bounds that wait.
        try UnixStreamSocket.setTimeout(fd, SO_SNDTIMEO, timeout, path)
        let connected = UnixStreamSocket.connect(fd, address)
        guard connected == 0 else { throw Syscall.error("connect", path, connected) }

        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                throw DaemonSupportError(.systemCall, "poll(\(path)): no complete reply within \(timeout)")
            }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = try Syscall.call("poll", path) { poll(&entry, 1, UnixStreamSocket.milliseconds(remaining)) }
            if ready == 0 { continue }
            // Never ask for more than one byte past the limit: enough to know it was exceeded.
            let wanted = min(chunk.count, limit - reply.count + 1)
            let result = chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(DaemonSupportError) -> Int in
                    try Syscall.call("recv", path) { recv(fd, buffer.baseAddress, wanted, 0) }
                }
            }
            let count = try result.get()
            if count == 0 { return reply }
            reply += chunk[0..<count]
            guard reply.count <= limit else {
                throw DaemonSupportError(.badStatus, "reply from \(path) is longer than \(limit) bytes")
            }
        }
    }
}

/// What the status server and client share about AF_UNIX stream sockets.
enum UnixStreamSocket {
    struct Address {
        var storage: sockaddr_un
        var length: socklen_t
    }

    /// Only absolute paths: the server unlinks and chmods the same name later, and the daemon's working
    /// directory is no place for it. The length check is SystemdNotifier's, which builds the same address.
    static func address(_ path: String) throws(DaemonSupportError) -> Address {
        guard path.hasPrefix("/"), !path.utf8.contains(0) else {
            throw DaemonSupportError(.badSocketPath, "status socket \(DaemonSupportError.quoted(path)) is not an absolute path")
        }
        do {
            let (storage, pathLength) = try SystemdNotifier.address(path)
            return Address(storage: storage, length: socklen_t(MemoryLayout.offset(of: \sockaddr_un.sun_path)! + pathLength))
        } catch {
            let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
            throw DaemonSupportError(
                .badSocketPath, "status socket \(DaemonSupportError.quoted(path)) is longer than \(capacity - 1) bytes")
        }
    }

    static func open(_ path: String) throws(DaemonSupportError) -> Int32 {
        try Syscall.call("socket", path) { openStreamSocket() }
    }

    /// 0, or the errno of the failed connect (the server tells a stale socket by ECONNREFUSED).
    static func connect(_ fd: Int32, _ address: Address) -> Int32 {
        var storage = address.storage
        while true {
            let result = withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connectSocket(fd, $0, address.length) }
            }
            if result == 0 { return 0 }
            if errno != EINTR { return errno }
        }
    }

    static func setTimeout(_ fd: Int32, _ option: Int32, _ duration: Duration, _ path: String) throws(DaemonSupportError) {
        let (seconds, attoseconds) = duration.components
        var value = timeval()
        value.tv_sec = .init(clamping: seconds)
        value.tv_usec = .init(clamping: attoseconds / 1_000_000_000_000)
        try Syscall.call("setsockopt", path) {
            setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// For poll(2), rounded up so a wait never ends just short of its deadline.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !milliseconds.overflow else { return .max }
        let rounded = milliseconds.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: rounded)
    }
}

/// Outside the enum, whose `open` and `connect` would shadow the C functions.
private func openStreamSocket() -> Int32 {
    #if canImport(Glibc)
    socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    #else
    socket(AF_UNIX, SOCK_STREAM, 0)
    #endif
}

private func connectSocket(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    connect(fd, address, length)
}
