import JSON

extension Evaluator {
    /// `before`, `after`, `not-after`, `not-before` on two or three date-times.
    mutating func evaluateDateTimeComparison(
        _ comparison: ComparisonOperator, _ operands: [Node], in scope: Scope
    ) throws(CertLogicError) -> Value {
        var dateTimes: [DateTime] = []
        dateTimes.reserveCapacity(operands.count)
        for value in try evaluate(operands, in: scope) {
            guard case .dateTime(let dateTime) = value else {
                throw Self.mismatch("date-time comparisons take date-times (from plusTime or dccDateOfBirth), not \(value.typeName)")
            }
            dateTimes.append(dateTime)
        }
        return .bool(comparison.holds(chain: dateTimes))
    }

    /// `plusTime`: a date(-time) string parsed and offset.
    mutating func evaluatePlusTime(_ operand: Node, _ amount: Int64, _ unit: TimeUnit, in scope: Scope) throws(CertLogicError) -> Value {
        let value = try evaluate(operand, in: scope)
        guard case .json(.string(let text)) = value else {
            throw Self.mismatch("plusTime takes a date(-time) string, not \(value.typeName)")
        }
        try charge(EvaluationCost.forBytes(text.utf8.count))
        return .dateTime(try DateTime.parse(plusTimeInput: text).adding(amount, unit))
    }

    /// `dccDateOfBirth`: a DCC date of birth, possibly partial, as the last day it allows.
    mutating func evaluateDateOfBirth(_ operand: Node, in scope: Scope) throws(CertLogicError) -> Value {
        let value = try evaluate(operand, in: scope)
        guard case .json(.string(let text)) = value else {
            throw Self.mismatch("dccDateOfBirth takes a string, not \(value.typeName)")
        }
        try charge(EvaluationCost.forBytes(text.utf8.count))
        return .dateTime(try DateTime.parse(dateOfBirth: text))
    }

    /// `extractFromUVCI`: a fragment of a UCI string, or null.
    mutating func evaluateExtractFromUVCI(_ operand: Node, _ index: Int64, in scope: Scope) throws(CertLogicError) -> Value {
        let value = try evaluate(operand, in: scope)
        switch value {
        case .json(.null):
            return .null
        case .json(.string(let uci)):
            try charge(EvaluationCost.forBytes(uci.utf8.count))
            return UVCI.fragment(of: uci, at: index).map { .json(.string($0)) } ?? .null
        default:
            throw Self.mismatch("extractFromUVCI takes a string or null, not \(value.typeName)")
        }
    }
}
