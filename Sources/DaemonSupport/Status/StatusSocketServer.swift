#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    private let control = StatusServerLock()
    /// Guards `stopRequested`, which the accept loop reads between polls.
    private let flag = StatusServerLock()
    private var thread: StatusServerThread?
    private var stopRequested = false
    private var closed = false

    /// How long one client may take to accept its reply.
    static let sendTimeout: Duration = .seconds(1)
    /// How often the accept loop looks at `stopRequested`.
    static let pollMilliseconds: Int32 = 200

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
            let flags = try Syscall.call("fcntl", path) { fcntl(fd, F_GETFL) }
            try Syscall.call("fcntl", path) { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
            var storage = address.storage
            try Syscall.call("bind", path) {
                withUnsafePointer(to: &storage) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bindSocket(fd, $0, address.length) }
                }
            }
            isBound = true
            // Before listen, so nobody connects while the umask's mode is still on the file.
            try Syscall.call("chmod", path) { chmod(path, mode_t(0o660)) }
            var info = stat()
            try Syscall.call("lstat", path) { lstat(path, &info) }
            try Syscall.call("listen", path) { listenSocket(fd, 8) }
            return (fd, UInt64(info.st_dev), UInt64(info.st_ino))
        } catch {
            if isBound { unlink(path) }
            Syscall.close(fd)
            throw error
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
            thread = StatusServerThread.start { [self] in acceptLoop() }
        }
    }

    /// Stops accepting, waits for the thread, closes the socket and removes its file. Idempotent; returns
    /// within about one poll period plus, if a client is being served, its send timeout.
    public func stop() {
        control.withLock {
            guard !closed else { return }
            flag.withLock { stopRequested = true }
            thread?.join()
            thread = nil
            closeAndUnlink()
        }
    }

    private func closeAndUnlink() {
        closed = true
        Syscall.close(listener)
        var info = stat()
        if lstat(path, &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode {
            unlink(path)
        }
    }

    private var isStopRequested: Bool {
        flag.withLock { stopRequested }
    }

    private func acceptLoop() {
        while !isStopRequested {
            var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            // Timeout or EINTR: go round and look at the flag again.
            guard poll(&entry, 1, Self.pollMilliseconds) > 0 else { continue }
            let client = acceptSocket(listener)
            guard client >= 0 else {
                // EAGAIN/ECONNABORTED: the client gave up between poll and accept. Anything else (EMFILE,
                // ENOBUFS) would come back at once: wait a poll period instead of spinning.
                if errno != EAGAIN, errno != EWOULDBLOCK, errno != ECONNABORTED, errno != EINTR {
                    _ = poll(nil, 0, Self.pollMilliseconds)
                }
                continue
            }
            serve(client)
        }
    }

    private func serve(_ client: Int32) {
        defer { Syscall.close(client) }
        guard (try? UnixStreamSocket.setTimeout(client, SO_SNDTIMEO, Self.sendTimeout, path)) != nil else { return }
        let reply = content() + [UInt8(ascii: "\n")]
        // SO_SNDTIMEO bounds each send; the deadline bounds a client that reads a trickle.
        let clock = ContinuousClock()
        let deadline = clock.now + Self.sendTimeout
        var offset = 0
        while offset < reply.count, clock.now < deadline {
            let sent = reply.withUnsafeBytes { buffer in
                // MSG_NOSIGNAL: a client that hung up must not SIGPIPE the daemon.
                send(client, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                return  // EAGAIN after the timeout, EPIPE: the client is gone or stuck; drop it.
            }
            offset += sent
        }
        // Linux reports ECONNRESET instead of end-of-file to the peer when a socket closes with unread
        // input, so discard what the client sent (e.g. a newline from socat) before closing.
        var scratch = [UInt8](repeating: 0, count: 1024)
        for _ in 0..<16 {
            guard recv(client, &scratch, scratch.count, Int32(MSG_DONTWAIT)) > 0 else { break }
        }
    }

    /// Replaces a socket file nobody listens on; refuses anything else.
    private static func removeStaleSocket(at path: String, _ address: UnixStreamSocket.Address) throws(DaemonSupportError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw Syscall.error("lstat", path, errno)
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw DaemonSupportError(.badSocketPath, "\(path) exists and is not a socket; not replacing it")
        }
        let probe = try UnixStreamSocket.open(path)
        defer { Syscall.close(probe) }
        try UnixStreamSocket.setTimeout(probe, SO_SNDTIMEO, sendTimeout, path)
        switch UnixStreamSocket.connect(probe, address) {
        case 0:
            throw DaemonSupportError(.badSocketPath, "\(path) is in use: another process is listening on it")
        case ECONNREFUSED:
            try Syscall.call("unlink", path) { unlink(path) }
        case let code:
            throw Syscall.error("connect", path, code)
        }
    }
}

/// A pthread mutex on the heap (pthread objects must not move). Not Synchronization.Mutex: that needs
/// macOS 15, which the package does not require.
private final class StatusServerLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result>(_ body: () -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}

/// A joinable thread (Foundation's Thread cannot be joined, and DaemonSupport does not use Foundation).
private struct StatusServerThread {
    private let handle: pthread_t

    private final class Context {
        let body: @Sendable () -> Void
        init(body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// nil if the system refuses a thread.
    static func start(_ body: @escaping @Sendable () -> Void) -> StatusServerThread? {
        let context = Unmanaged.passRetained(Context(body: body)).toOpaque()
        #if canImport(Glibc)
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { argument in
            Unmanaged<Context>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Context>.fromOpaque(context).release()
            return nil
        }
        return StatusServerThread(handle: handle)
        #else
        var handle: pthread_t?
        let result = pthread_create(&handle, nil, { argument in
            Unmanaged<Context>.fromOpaque(argument).takeRetainedValue().body()
            return nil
        }, context)
        guard result == 0, let handle else {
            Unmanaged<Context>.fromOpaque(context).release()
            return nil
        }
        return StatusServerThread(handle: handle)
        #endif
    }

    func join() {
        _ = pthread_join(handle, nil)
    }
}

/// Outside the class, so the C names stay unambiguous.
private func bindSocket(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    bind(fd, address, length)
}

private func listenSocket(_ fd: Int32, _ backlog: Int32) -> Int32 {
    listen(fd, backlog)
}

/// The accepted socket is blocking (its send timeout does the bounding) and close-on-exec. (accept4 is
/// not visible to Swift without _GNU_SOURCE; Darwin's accept inherits O_NONBLOCK, Linux's does not.)
private func acceptSocket(_ fd: Int32) -> Int32 {
    let client = accept(fd, nil, nil)
    if client >= 0 {
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) & ~O_NONBLOCK)
    }
    return client
}
