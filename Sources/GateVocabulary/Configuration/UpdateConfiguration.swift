/// Where `gatecheck trust fetch` (the `gatecheck-trust-fetch` timer) gets trust bundles (`[update]`).
public struct UpdateConfiguration: Sendable, Hashable {
    /// The bundle's https:// URL; nil = no fetching (the timer's runs say so and exit 0).
    public var url: String?
    /// A delta bundle's https:// URL (docs/fleet.md, "Revocation deltas"): fetched first, and `url` only when
    /// the delta does not fit the installed bundle or is not published. nil = always `url`.
    public var deltaURL: String?
    /// How long after a successful fetch the next is due (failures retry sooner, with backoff).
    public var interval: Duration = .seconds(3_600)
    /// PEM file of the only CAs trusted for the server; nil = the system CA store.
    public var caFile: String?
    /// The largest bundle accepted, enforced while downloading.
    public var maximumBytes = 256 << 20

    public init() {}
}
