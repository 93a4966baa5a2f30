/// The single vaccination, test or recovery entry of a DCC. Only the fields that verification
/// needs are typed; the rest are checked by `DCCSchema` and not kept.
public enum CertificateEntry: Sendable, Hashable {
    case vaccination(doseNumber: Int, totalDoses: Int, date: String, country: String)
    case test(result: String, sampleTime: String, country: String)
    case recovery(firstPositive: String, validFrom: String, validUntil: String, country: String)

    /// The country of vaccination or test, or the issuing country of a recovery (`co`).
    public var country: String {
        switch self {
        case .vaccination(_, _, _, let country), .test(_, _, let country), .recovery(_, _, _, let country): country
        }
    }

    public var type: CertificateType {
        switch self {
        case .vaccination: .vaccination
        case .test: .test
        case .recovery: .recovery
        }
    }
}
