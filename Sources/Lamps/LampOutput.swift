/// A single on/off output: a lamp, a buzzer or the gate relay.
///
/// Implementations hold only immutable configuration (paths, levels), so they are `Sendable` and a panel
/// can own them behind its lock. `set` is called only when the level changes, from one thread at a time.
public protocol LampOutput: Sendable {
    /// A short name for messages and the console ("pass", "gatecheck-green", "pinctrl-bcm2711:17").
    var name: String { get }

    /// Drives the output on (lit, sounding, relay energised) or off.
    func set(_ on: Bool) throws(LampError)
}
