#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// AF_UNIX sockets (the status socket, sd_notify): what swift-system does not cover.
public enum Sockets {
    public enum Kind: Sendable {
        case stream, datagram
    }

    /// A close-on-exec AF_UNIX socket.
    public static func openUnix(_ kind: Kind, _ subject: String) throws(SystemCallError) -> Int32 {
        try SystemCall.retrying("socket", subject) { unixSocket(kind) }
    }

    /// bind(2) to a filled-in address of `length` bytes.
    public static func bind(_ descriptor: Int32, _ address: sockaddr_un, length: socklen_t, _ subject: String) throws(SystemCallError) {
        var storage = address
        try SystemCall.retrying("bind", subject) {
            withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemBind(descriptor, $0, length) }
            }
        }
    }

    /// connect(2); an interrupted connect is retried.
    public static func connect(_ descriptor: Int32, _ address: sockaddr_un, length: socklen_t, _ subject: String) throws(SystemCallError) {
        var storage = address
        try SystemCall.retrying("connect", subject) {
            withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemConnect(descriptor, $0, length) }
            }
        }
    }

    public static func listen(_ descriptor: Int32, backlog: Int32, _ subject: String) throws(SystemCallError) {
        try SystemCall.retrying("listen", subject) { systemListen(descriptor, backlog) }
    }

    /// accept(2) of one waiting client, blocking and close-on-exec; nil when the client gave up between
    /// poll and accept (EAGAIN, ECONNABORTED). (accept4 is not visible to Swift without _GNU_SOURCE;
    /// Darwin's accept inherits O_NONBLOCK, Linux's does not.)
    public static func accept(_ descriptor: Int32, _ subject: String) throws(SystemCallError) -> Int32? {
        let client: Int32
        do {
            client = try SystemCall.retrying("accept", subject) { systemAccept(descriptor, nil, nil) }
        } catch where [.resourceTemporarilyUnavailable, .wouldBlock, .connectionAbort].contains(error.errno) {
            return nil
        }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) & ~O_NONBLOCK)
        return client
    }

    /// Sets O_NONBLOCK.
    public static func setNonBlocking(_ descriptor: Int32, _ subject: String) throws(SystemCallError) {
        let flags = try SystemCall.retrying("fcntl", subject) { fcntl(descriptor, F_GETFL) }
        try SystemCall.retrying("fcntl", subject) { fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
    }

    public enum Direction: Sendable {
        /// SO_SNDTIMEO: bounds a blocking send, and a connect waiting on a full backlog.
        case send
        /// SO_RCVTIMEO: bounds a blocking recv.
        case receive
    }

    /// A blocking send or recv on the socket gives up after `duration`.
    public static func setTimeout(_ descriptor: Int32, _ direction: Direction, _ duration: Duration, _ subject: String) throws(SystemCallError) {
        let option = direction == .send ? SO_SNDTIMEO : SO_RCVTIMEO
        let (seconds, attoseconds) = duration.components
        var value = timeval()
        value.tv_sec = .init(clamping: seconds)
        value.tv_usec = .init(clamping: attoseconds / 1_000_000_000_000)
        try SystemCall.retrying("setsockopt", subject) {
            setsockopt(descriptor, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// send(2) once with MSG_NOSIGNAL (a peer that hung up must not SIGPIPE the daemon).
    public static func send(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, _ subject: String) throws(SystemCallError) -> Int {
        try SystemCall.retrying("send", subject) { systemSend(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }

    /// One datagram to `address`, with MSG_NOSIGNAL; returns the bytes sent.
    public static func send(
        _ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, to address: sockaddr_un, length: socklen_t, _ subject: String
    ) throws(SystemCallError) -> Int {
        var storage = address
        return try SystemCall.retrying("sendto", subject) {
            withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, length)
                }
            }
        }
    }

    /// recv(2) once; 0 at end of stream. `dontWait` makes it return EAGAIN instead of blocking.
    public static func receive(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, dontWait: Bool = false, _ subject: String
    ) throws(SystemCallError) -> Int {
        try SystemCall.retrying("recv", subject) {
            recv(descriptor, buffer.baseAddress, buffer.count, dontWait ? Int32(MSG_DONTWAIT) : 0)
        }
    }
}

/// Outside the enum, whose methods would shadow the C names.
private func unixSocket(_ kind: Sockets.Kind) -> Int32 {
    #if canImport(Glibc)
    let type = kind == .stream ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue
    return socket(AF_UNIX, Int32(type) | Int32(SOCK_CLOEXEC.rawValue), 0)
    #else
    let descriptor = socket(AF_UNIX, kind == .stream ? SOCK_STREAM : SOCK_DGRAM, 0)
    if descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
    return descriptor
    #endif
}

private func systemBind(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    bind(descriptor, address, length)
}

private func systemConnect(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    connect(descriptor, address, length)
}

private func systemListen(_ descriptor: Int32, _ backlog: Int32) -> Int32 {
    listen(descriptor, backlog)
}

private func systemAccept(_ descriptor: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: UnsafeMutablePointer<socklen_t>?) -> Int32 {
    accept(descriptor, address, length)
}

private func systemSend(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    send(descriptor, bytes, count, flags)
}
