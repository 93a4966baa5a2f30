import CertLogic
import JSON

/// Runs already-validated rules on one credential.
///
/// The data object `{payload, external}` is built once per credential and shared by every rule;
/// no rule is re-validated here. Only an exact `true` passes.
public struct RuleEvaluator: Sendable {
    /// Bounds for each evaluation (steps, reduce length, …).
    public var limits: CertLogicLimits
    /// DGCA's check that the credential's `ver` has the rule's major `SchemaVersion` and is not older.
    /// On for gates; the EU rule-test tooling does not apply it, so rule tests turn it off.
    public var checksSchemaVersion: Bool

    public init(limits: CertLogicLimits = .default, checksSchemaVersion: Bool = true) {
        self.limits = limits
        self.checksSchemaVersion = checksSchemaVersion
    }

    /// Evaluates `rules` (e.g. `RuleSet.rules(for:)`) on a DCC's JSON payload.
    public func evaluate(_ rules: [ValidationRule], payload: JSONValue, external: ExternalParameters) -> RuleOutcome {
        evaluate(rules, data: Self.data(payload: payload, external: external.json))
    }

    /// Evaluates `rules` on a prepared data object (see `data(payload:external:)`).
    public func evaluate(_ rules: [ValidationRule], data: JSONValue) -> RuleOutcome {
        let credentialVersion = checksSchemaVersion ? data["payload"]?["ver"]?.string.flatMap(SemanticVersion.init) : nil
        return RuleOutcome(results: rules.map { rule in
            RuleResult(identifier: rule.identifier, version: rule.version, verdict: verdict(rule, data: data, credentialVersion: credentialVersion))
        })
    }

    /// The data a rule sees: `{"payload": payload, "external": external}`; a nil payload is left out,
    /// which reads as `null` just as an undefined payload does in certlogic-js.
    public static func data(payload: JSONValue?, external: JSONValue) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let payload { members.append(("payload", payload)) }
        members.append(("external", external))
        return .object(members)
    }

    /// The result of one rule's logic on `data`: its value, or the CertLogic error.
    func result(of rule: ValidationRule, data: JSONValue) -> Result<JSONValue, CertLogicError> {
        do {
            return .success(try rule.logic.evaluate(data, limits: limits))
        } catch {
            return .failure(error)
        }
    }

    private func verdict(_ rule: ValidationRule, data: JSONValue, credentialVersion: SemanticVersion?) -> RuleResult.Verdict {
        if checksSchemaVersion {
            guard let credentialVersion, credentialVersion.major == rule.schemaVersion.major, credentialVersion >= rule.schemaVersion else {
                return .incompatibleSchemaVersion
            }
        }
        switch result(of: rule, data: data) {
        case .success(.bool(true)): return .passed
        case .success(.bool(false)): return .failed
        case .success(let other): return .error(CertLogicError(.typeMismatch, "the rule's result is a \(other.typeName), not a boolean"))
        case .failure(let error): return .error(error)
        }
    }
}
