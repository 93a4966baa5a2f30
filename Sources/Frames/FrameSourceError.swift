// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// Why a frame source could not deliver. Stable codes for logs, counters and fault lamps.
public struct FrameSourceError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String {
            case timeout, deviceLost = "device-lost", notACamera = "not-a-camera", noUsableFormat = "no-usable-format"
            case ioFailure = "io-failure", unreadableInput = "unreadable-input"
        }
        fileprivate let value: Value
        /// No frame within the poll timeout: a stalled camera.
        public static let timeout = Code(value: .timeout)
        /// The device went away (ENODEV, POLLERR/POLLHUP); it may come back.
        public static let deviceLost = Code(value: .deviceLost)
        /// The path is not a V4L2 capture device with streaming I/O.
        public static let notACamera = Code(value: .notACamera)
        /// The device offers no format GateCheck can read the luminance of.
        public static let noUsableFormat = Code(value: .noUsableFormat)
        /// A system call failed (named in the detail).
        public static let ioFailure = Code(value: .ioFailure)
        /// A replayed file could not be read or decoded.
        public static let unreadableInput = Code(value: .unreadableInput)
        public var description: String { value.rawValue }
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }
}
