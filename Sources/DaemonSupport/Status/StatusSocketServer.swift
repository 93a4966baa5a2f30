import Glibc
import SystemCalls
import SystemPackage

/// Serves the daemon's status on a Unix stream socket: each connection gets the current `content()`
/// and a newline, then the server closes it. Whatever a client sends is ignored.
///
/// One connection at a time on one thread of its own: a status reply is small, and a client that does
/// not read can hold the thread for at most the one-second send timeout.
public final class StatusSocketServer: @unchecked Sendable {
    public let path: String
    private let content: @Sendable () -> [UInt8]
    private let listener: Int32
    /// The socket file this server made, so stop() never unlinks a successor's socket.
    private let device: UInt64
    private let inode: UInt64

    /// Serialises start() and stop(); held while stop() joins the thread.
    private let control = ConditionLock()
    /// Whether stop() asked the accept loop, which reads it between polls, to end.
    private let stopRequested = Locked(false)
    private var thread: JoinableThread?
    private var closed = false

    /// How long one client may take to accept its reply.
    static let sendTimeout: Duration = .seconds(1)
    /// How often the accept loop looks at `stopRequested`.
    static let pollPeriod: Duration = .milliseconds(200)

    /// Binds and listens at `path` (mode 0660) but does not accept until `start()`.
    ///
    /// A socket file already at `path` is replaced if nothing listens on it (a crashed daemon left it);
    /// anything else there, or a live socket, is refused.
    public init(path: String, content: @escaping @Sendable () -> [UInt8]) throws(DaemonSupportError) {
        let address = try UnixStreamSocket.address(path)
        try Self.removeStaleSocket(at: path, address)
        (listener, device, inode) = try Self.listen(at: path, address)
        self.path = path
        self.content = content
    }

    /// The listening socket and the identity of its file.
    private static func listen(
        at path: String, _ address: UnixStreamSocket.Address
    ) throws(DaemonSupportError) -> (fd: Int32, device: UInt64, inode: UInt64) {
        let fd = try UnixStreamSocket.open(path)
        var isBound = false
        do {
            // Non-blocking, so an accept after poll cannot hang when the client has already gone.
            try Sockets.setNonBlocking(fd, path)
            try Sockets.bind(fd, address.storage, length: address.length, path)
            isBound = true
            // Before listen, so nobody connects while the umask's mode is still on the file.
            try Files.setPermissions(path, [.ownerReadWrite, .groupReadWrite])
            let info = try Files.status(path, followLinks: false)
            try Sockets.listen(fd, backlog: 8, path)
            return (fd, UInt64(info.deviceID.rawValue), UInt64(info.inode.rawValue))
        } catch {
            if isBound { try? Files.remove(path) }
            SystemCall.close(fd)
            throw SystemCallMapping.error(error)
        }
    }

    deinit {
        // A started server is kept alive by its thread, so only a never-started one gets here unstopped.
        if !closed { closeAndUnlink() }
    }

    /// Starts accepting on a thread of its own. Does nothing if already started or stopped.
    public func start() {
        control.withLock {
            guard thread == nil, !closed else { return }
            // If the system refuses a thread, clients time out and `gatecheck status` says so.
            thread = JoinableThread.start { [self] in acceptLoop() }
        }
    }

    /// Stops accepting, waits for the thread, closes the socket and removes its file. Idempotent; returns
    /// within about one poll period plus, if a client is being served, its send timeout.
    public func stop() {
        control.withLock {
            guard !closed else { return }
            stopRequested.withLock { $0 = true }
            thread?.join()
            thread = nil
            closeAndUnlink()
        }
    }

    private func closeAndUnlink() {
        closed = true
        SystemCall.close(listener)
        if let info = try? Files.status(path, followLinks: false), UInt64(info.deviceID.rawValue) == device,
           UInt64(info.inode.rawValue) == inode {
            try? Files.remove(path)
        }
    }

    private var isStopRequested: Bool {
        stopRequested.withLock { $0 }
    }

    private func acceptLoop() {
        while !isStopRequested {
            // Timeout: go round and look at the flag again.
            guard (try? Waiting.pollReadable(listener, timeout: Self.pollPeriod, path)) != nil else { continue }
            do {
                // nil: the client gave up between poll and accept.
                guard let client = try Sockets.accept(listener, path) else { continue }
                serve(client)
            } catch {
                // EMFILE, ENOBUFS would come back at once: wait a poll period instead of spinning.
                Waiting.sleep(Self.pollPeriod)
            }
        }
    }

    private func serve(_ client: Int32) {
        defer { SystemCall.close(client) }
        guard (try? Sockets.setTimeout(client, .send, Self.sendTimeout, path)) != nil else { return }
        let reply = content() + [UInt8(ascii: "\n")]
        // SO_SNDTIMEO bounds each send; the deadline bounds a client that reads a trickle.
        let clock = ContinuousClock()
        let deadline = clock.now + Self.sendTimeout
        var offset = 0
        while offset < reply.count, clock.now < deadline {
            let sent = try? withBytes(of: reply) { (buffer) throws(SystemCallError) -> Int in
                try Sockets.send(client, UnsafeRawBufferPointer(rebasing: buffer[offset...]), path)
            }
            // EAGAIN after the timeout, EPIPE: the client is gone or stuck; drop it.
            guard let sent else { return }
            offset += sent
        }
        // Linux reports ECONNRESET instead of end-of-file to the peer when a socket closes with unread
        // input, so discard what the client sent (e.g. a newline from socat) before closing.
        var scratch = [UInt8](repeating: 0, count: 1024)
        for _ in 0..<16 {
            let received = try? withMutableBytes(of: &scratch) { (buffer) throws(SystemCallError) -> Int in
                try Sockets.receive(client, into: buffer, dontWait: true, path)
            }
            guard let received, received > 0 else { break }
        }
    }

    /// Replaces a socket file nobody listens on; refuses anything else.
    private static func removeStaleSocket(at path: String, _ address: UnixStreamSocket.Address) throws(DaemonSupportError) {
        let info: Stat
        do {
            info = try Files.status(path, followLinks: false)
        } catch where error.errno == .noSuchFileOrDirectory {
            return
        } catch {
            throw SystemCallMapping.error(error)
        }
        guard info.type == .socket else {
            throw DaemonSupportError(.badSocketPath, "\(path) exists and is not a socket; not replacing it")
        }
        let probe = try UnixStreamSocket.open(path)
        defer { SystemCall.close(probe) }
        try UnixStreamSocket.setTimeout(probe, SO_SNDTIMEO, sendTimeout, path)
        switch UnixStreamSocket.connect(probe, address) {
        case 0:
            throw DaemonSupportError(.badSocketPath, "\(path) is in use: another process is listening on it")
        case ECONNREFUSED:
            try SystemCallMapping.mapped { () throws(SystemCallError) in try Files.remove(path) }
        case let code:
            throw SystemCallMapping.error(SystemCallError("connect", path, errno: Errno(rawValue: code)))
        }
    }
}
