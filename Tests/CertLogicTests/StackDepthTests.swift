import CertLogic
import Foundation
import JSON
import Testing

/// The deepest expression any limits allow validates and evaluates on a thread with a small stack
/// (512 KiB, as on many secondary threads), so recursion depth can never crash the appliance.
@Suite struct StackDepthTests {
    /// Results handed from the worker thread back to the test.
    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: (result: Result<JSONValue, CertLogicError>, refusal: Result<CertLogicExpression, CertLogicError>)?

        func set(_ value: (Result<JSONValue, CertLogicError>, Result<CertLogicExpression, CertLogicError>)) {
            lock.withLock { stored = value }
        }

        var value: (result: Result<JSONValue, CertLogicError>, refusal: Result<CertLogicExpression, CertLogicError>)? {
            lock.withLock { stored }
        }
    }

    @Test func deepestAllowedExpressionRunsOnASmallStack() throws {
        let limits = CertLogicLimits(maxDepth: .max)
        // Negations two JSON levels each put `true` exactly at the hard ceiling, whatever maxDepth says.
        let deepest = HostileInputs.nestedNegations(CertLogicLimits.hardMaxDepth / 2)
        let tooDeep = HostileInputs.nestedNegations(CertLogicLimits.hardMaxDepth / 2 + 1)
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let result = Result { () throws(CertLogicError) -> JSONValue in
                try CertLogicExpression(validating: deepest, limits: limits).evaluate(.null, limits: limits)
            }
            let refusal = Result { () throws(CertLogicError) -> CertLogicExpression in
                try CertLogicExpression(validating: tooDeep, limits: limits)
            }
            outcome.set((result, refusal))
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        done.wait()
        let value = try #require(outcome.value)
        #expect(try value.result.get() == true)
        #expect(throws: CertLogicError(.limitExceeded, "")) { _ = try value.refusal.get() }
    }
}
