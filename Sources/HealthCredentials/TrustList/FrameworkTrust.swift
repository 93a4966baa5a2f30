/// One trust framework's keys, in the shape a signed trust bundle carries them: each framework's trust is its
/// own immutable value with a canonical section encoding, so the bundle needs no knowledge of what is inside.
public protocol FrameworkTrust: Sendable {
    static var empty: Self { get }
    /// Keys, issuers or anchors held: what `trust show` counts.
    var count: Int { get }
    /// Reads a bundle section written by ``sectionBytes``; strict and bounded, `bad-trust-list` on anything wrong.
    init(sectionBytes: [UInt8]) throws(CredentialError)
    /// The canonical section encoding: the same trust always gives the same bytes.
    var sectionBytes: [UInt8] { get }
    /// The trust of both, as when several sources are loaded; throws when the two together exceed a limit.
    func merging(_ other: Self) throws(CredentialError) -> Self
}
