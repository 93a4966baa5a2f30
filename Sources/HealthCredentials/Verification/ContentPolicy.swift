import FoundationEssentials

/// Rules on what the certificate says itself, whatever the place's admission rules: a test must be
/// negative ("not detected") and its sample cannot have been taken in the future; a recovery
/// certificate is only good inside its own `df`…`du` window. A WHO certificate (DVC `vls`…`vle`, DDCC
/// `certificate.period`) is likewise only good inside its own validity period; the EU checks do not apply to it.
public struct ContentPolicy: CredentialPolicy {
    public let step = VerificationStep.content

    public init() {}

    public func evaluate(_ credential: DecodedCredential, in context: VerificationContext) -> StepOutcome {
        if let who = credential.whoCertificate { return Self.validityPeriod(of: who, in: context) }
        guard let certificate = credential.certificate else { return .skipped }
        switch certificate.entry {
        case .vaccination:
            return .ok
        case .test(let result, let sampleTime, _):
            guard result == DigitalCovidCertificate.testResultNotDetected else {
                return .failed(CredentialError(.testDetected, "test result is not \"not detected\""))
            }
            guard let sampled = DCCDate.dateTime(sampleTime), sampled <= context.now.addingTimeInterval(context.clockSkew) else {
                return .failed(CredentialError(.sampleTimeInFuture, "sample time lies after the verification time"))
            }
            return .ok
        case .recovery(_, let validFrom, let validUntil, _):
            // Both are dates (a date-time is read as its UTC day): df from its first moment, du to its last.
            guard let from = DCCDate.dateOrDateTime(validFrom).map(Self.startOfUTCDay),
                  let until = DCCDate.dateOrDateTime(validUntil).map(Self.startOfUTCDay)
            else { return .failed(CredentialError(.schemaViolation, "r.df or r.du is not a date")) }
            if context.now.addingTimeInterval(context.clockSkew) < from {
                return .failed(CredentialError(.recoveryNotYetValid, "the recovery certificate's df lies after the verification time"))
            }
            if context.now >= until.addingTimeInterval(86_400) {
                return .failed(CredentialError(.recoveryExpired, "the recovery certificate's du lies before the verification time"))
            }
            return .ok
        }
    }

    /// Both ends are days: the first from its first moment, the last to its end.
    private static func validityPeriod(of certificate: WHOCertificate, in context: VerificationContext) -> StepOutcome {
        if let from = certificate.validFrom, context.now.addingTimeInterval(context.clockSkew) < from {
            return .failed(CredentialError(.vaccinationNotYetValid, "the certificate's validity period starts after the verification time"))
        }
        if let until = certificate.validUntil, context.now >= until.addingTimeInterval(86_400) {
            return .failed(CredentialError(.vaccinationExpired, "the certificate's validity period ended before the verification time"))
        }
        return .ok
    }

    private static func startOfUTCDay(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }
}
