import Foundation

/// Rules on what the certificate says: a test must be negative ("not detected") and its sample
/// cannot have been taken in the future.
public struct ContentPolicy: CredentialPolicy {
    public let step = VerificationStep.content

    public init() {}

    public func evaluate(_ credential: DecodedCredential, in context: VerificationContext) -> StepOutcome {
        guard let certificate = credential.certificate else { return .skipped }
        guard case .test(let result, let sampleTime, _) = certificate.entry else { return .ok }
        guard result == DigitalCovidCertificate.testResultNotDetected else {
            return .failed(CredentialError(.testDetected, "test result is not \"not detected\""))
        }
        guard let sampled = DCCDate.dateTime(sampleTime), sampled <= context.now.addingTimeInterval(context.clockSkew) else {
            return .failed(CredentialError(.sampleTimeInFuture, "sample time lies after the verification time"))
        }
        return .ok
    }
}
