/// The single vaccination, test or recovery entry of a DCC. Only the fields that verification
/// needs are typed; the rest are checked by `DCCSchema` and not kept.
public enum CertificateEntry: Sendable, Hashable {
    case vaccination(doseNumber: Int, totalDoses: Int, date: String, country: String)
    case test(result: String, sampleTime: String, country: String)
    case recovery(firstPositive: String, validFrom: String, validUntil: String, country: String)

    public var type: CertificateType {
        switch self {
        case .vaccination: .vaccination
        case .test: .test
        case .recovery: .recovery
        }
    }
}
