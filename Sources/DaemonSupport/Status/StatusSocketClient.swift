import Glibc
import SystemCalls
import SystemPackage

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
        defer { SystemCall.close(fd) }
        // A blocking connect waits while the server's backlog is full; the send timeout bounds that wait.
        try SystemCallMapping.mapped { () throws(SystemCallError) in
            try Sockets.setTimeout(fd, .send, timeout, path)
            try Sockets.connect(fd, address.storage, length: address.length, path)
        }

        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                throw DaemonSupportError(.systemCall, "poll(\(path)): no complete reply within \(timeout)")
            }
            let ready = try SystemCallMapping.mapped { () throws(SystemCallError) in try Waiting.pollReadable(fd, timeout: remaining, path) }
            if ready == nil { continue }
            // Never ask for more than one byte past the limit: enough to know it was exceeded.
            let wanted = min(chunk.count, limit - reply.count + 1)
            let count = try SystemCallMapping.mapped { () throws(SystemCallError) in
                try withMutableBytes(of: &chunk) { (buffer) throws(SystemCallError) -> Int in
                    try Sockets.receive(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]), path)
                }
            }
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
        try SystemCallMapping.mapped { () throws(SystemCallError) in try Sockets.openUnix(.stream, path) }
    }

    /// 0, or the errno of the failed connect (the server tells a stale socket by ECONNREFUSED).
    static func connect(_ fd: Int32, _ address: Address) -> Int32 {
        do {
            try Sockets.connect(fd, address.storage, length: address.length, "")
            return 0
        } catch {
            return error.errno?.rawValue ?? EIO
        }
    }

    /// SO_SNDTIMEO or SO_RCVTIMEO.
    static func setTimeout(_ fd: Int32, _ option: Int32, _ duration: Duration, _ path: String) throws(DaemonSupportError) {
        try SystemCallMapping.mapped { () throws(SystemCallError) in
            try Sockets.setTimeout(fd, option == SO_RCVTIMEO ? .receive : .send, duration, path)
        }
    }
}
