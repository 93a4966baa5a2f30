import Glibc
import SystemCalls

/// sd_notify(3) without libsystemd: each call sends one datagram to `$NOTIFY_SOCKET`. Without the
/// variable (not started by systemd, or `Type=simple`) every call does nothing.
///
/// A fresh socket per message keeps the type a plain value that needs no closing, and notifications
/// are rare (the watchdog every few seconds).
public struct SystemdNotifier: Sendable {
    /// The socket as given: an absolute path, or `@name` for an abstract socket. nil = no-op.
    public let socket: String?

    /// `environment` supplies `NOTIFY_SOCKET`; an empty value counts as absent.
    public init(environment: [String: String]) {
        socket = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// From this process's environment.
    public static func current() -> SystemdNotifier {
        SystemdNotifier(environment: ProcessEnvironment.values(["NOTIFY_SOCKET"]))
    }

    public var isEnabled: Bool { socket != nil }

    public func ready() throws(DaemonSupportError) { try send(.ready) }
    public func status(_ text: String) throws(DaemonSupportError) { try send(.status(text)) }
    public func watchdog() throws(DaemonSupportError) { try send(.watchdog) }
    public func stopping() throws(DaemonSupportError) { try send(.stopping) }

    /// `RELOADING=1` stamped with the current CLOCK_MONOTONIC time.
    public func reloading() throws(DaemonSupportError) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        try send(.reloading(monotonicMicroseconds: UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000))
    }

    /// Sends the messages together in one datagram, one assignment per line.
    public func send(_ messages: NotifyMessage...) throws(DaemonSupportError) {
        try send(messages)
    }

    /// Sends the messages together in one datagram, one assignment per line.
    public func send(_ messages: [NotifyMessage]) throws(DaemonSupportError) {
        guard let socket, !messages.isEmpty else { return }
        let payload = messages.flatMap(\.lines).joined(separator: "\n")
        let address = try Self.address(socket)
        let fd = try SystemCallMapping.mapped { () throws(SystemCallError) in try Sockets.openUnix(.datagram, socket) }
        defer { SystemCall.close(fd) }
        let length = socklen_t(MemoryLayout.offset(of: \sockaddr_un.sun_path)! + address.pathLength)
        let sent = try SystemCallMapping.mapped { () throws(SystemCallError) in
            try withBytes(of: Array(payload.utf8)) { (bytes) throws(SystemCallError) -> Int in
                try Sockets.send(fd, bytes, to: address.storage, length: length, socket)
            }
        }
        guard sent == payload.utf8.count else {
            throw DaemonSupportError(.systemCall, "sendto(\(socket)): sent \(sent) of \(payload.utf8.count) bytes")
        }
    }

    /// The socket address and how many bytes of `sun_path` it uses: an abstract name has no NUL
    /// terminator and its length is part of the name.
    static func address(_ socket: String) throws(DaemonSupportError) -> (storage: sockaddr_un, pathLength: Int) {
        var bytes = Array(socket.utf8)
        switch bytes.first {
        case UInt8(ascii: "/"):
            bytes.append(0)
        case UInt8(ascii: "@"):
            bytes[0] = 0
        default:
            throw DaemonSupportError(.badNotifySocket, "NOTIFY_SOCKET \(DaemonSupportError.quoted(socket)) is neither a path nor an @abstract name")
        }
        var storage = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: storage.sun_path)
        guard bytes.count <= capacity, bytes.count > 1 else {
            throw DaemonSupportError(.badNotifySocket, "NOTIFY_SOCKET is longer than \(capacity - 1) bytes")
        }
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { path in
            path.copyBytes(from: bytes)
        }
        return (storage, bytes.count)
    }
}
