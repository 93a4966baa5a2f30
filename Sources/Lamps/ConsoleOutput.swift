/// An output that prints its changes, for the demo and for a laptop without lamps: `[lamp] pass ON`.
public struct ConsoleOutput: LampOutput {
    public let name: String
    private let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - name: what the line calls the output, usually the role (`pass`, `relay`).
    ///   - write: where lines go; standard output by default, a collecting closure in tests.
    public init(name: String, write: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.name = name
        self.write = write
    }

    public func set(_ on: Bool) throws(LampError) {
        write("[lamp] \(name) \(on ? "ON" : "OFF")")
    }
}
