/// The certificates a rule applies to: one event type, or `general` for all of them.
public enum RuleCertificateType: String, Sendable, Hashable, CaseIterable, Comparable {
    case general = "General"
    case vaccination = "Vaccination"
    case test = "Test"
    case recovery = "Recovery"

    /// The identifier prefix the gateway requires for acceptance rules of this type.
    var identifierPrefix: String {
        switch self {
        case .general: "GR"
        case .vaccination: "VR"
        case .test: "TR"
        case .recovery: "RR"
        }
    }

    /// Declaration order, so lists of types read General, Vaccination, Test, Recovery.
    public static func < (lhs: RuleCertificateType, rhs: RuleCertificateType) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .general: 0
        case .vaccination: 1
        case .test: 2
        case .recovery: 3
        }
    }
}
