import GateCheckCrypto

/// The signers a verifier trusts, looked up by kid. Immutable once built, so one list can be
/// shared by every verification and swapped as a whole when new trust arrives.
public struct TrustList: Sendable {
    private let signersByKid: [[UInt8]: [DocumentSigner]]
    /// Every signer once, in load order.
    public let allSigners: [DocumentSigner]

    public init(_ signers: some Sequence<DocumentSigner>) {
        var byKid: [[UInt8]: [DocumentSigner]] = [:]
        var ordered: [DocumentSigner] = []
        for signer in signers {
            // The same certificate from two sources is kept once.
            let existing = byKid[signer.kid, default: []]
            if !existing.contains(where: { $0.certificate.derBytes == signer.certificate.derBytes }) {
                byKid[signer.kid, default: []].append(signer)
                ordered.append(signer)
            }
        }
        signersByKid = byKid
        allSigners = ordered
    }

    public static let empty = TrustList([])

    /// Every signer published under `kid`, in load order. The spec requires trying all of them.
    public func signers(forKid kid: [UInt8]) -> [DocumentSigner] {
        signersByKid[kid] ?? []
    }

    public var count: Int { allSigners.count }

    /// A list holding the signers of both.
    public func merging(_ other: TrustList) -> TrustList {
        TrustList(allSigners + other.allSigners)
    }
}
