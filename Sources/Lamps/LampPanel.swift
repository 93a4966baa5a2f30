import SystemCalls

/// The lamps, buzzer and relay of one gate, and the patterns they show: a small state machine over time.
///
/// Events (`showPass`, `showFail`, `setFault`, …) record what should be shown and apply it at once; `tick()`
/// moves the patterns on (ends a verdict, locks the relay, blinks amber) and returns the instant at which
/// it next needs to be called. The panel never sleeps and never reads the wall clock: time comes from the
/// injected `MonotonicClock` (as a `Duration` since its origin), so tests step it exactly.
///
/// Priorities, highest first:
/// - the gate relay is energised only during the pulse after a pass, and a fail ends a pulse at once;
/// - a verdict owns green and red for its duration;
/// - a trust import alternates amber and green; its outcome shows for `timings.importOutcome`: green and
///   amber together (installed) or red and amber blinking together (refused), never the relay. Both replace
///   the fault blink, since an import is how a technician cures a trust fault;
/// - a fault blinks amber whatever else is shown (it tells staff, not the traveller) and suppresses the
///   ready heartbeat;
/// - the optional ready heartbeat flashes one lamp.
///
/// Each output is written only when its level changes. A failed write is remembered and retried on the next
/// tick, and the other outputs are still driven (a dead lamp must not keep the relay open).
///
/// Thread safety: every method takes one lock, and outputs are driven under it, so events from the scan loop
/// and ticks from a timer task may interleave freely.
public final class LampPanel: @unchecked Sendable {
    /// The outputs by role; a missing role is simply not shown.
    public let outputs: [LampRole: any LampOutput]
    /// The pattern timings.
    public let timings: LampTimings
    private let clock: MonotonicClock
    // A pthread mutex (SystemCalls): NSLock would bring full Foundation (and ICU's data) into the binary, and
    // ThreadSanitizer cannot see Synchronization.Mutex's locking in a debug build, so it reports false races.
    private let lock = ConditionLock()

    // All mutable state below is guarded by `lock`.
    private var verdict: Verdict?
    private var faultSince: Duration?
    private var importSince: Duration?
    private var importOutcome: (succeeded: Bool, start: Duration)?
    private var readySince: Duration?
    private var written: [LampRole: Bool] = [:]

    /// A pass or fail being shown, with when it began.
    private struct Verdict {
        let passed: Bool
        let start: Duration
        let length: Duration
        var end: Duration { start + length }
    }

    /// Makes a panel. Nothing is written until the first event or tick, which drives every output to its
    /// resting level (off, relay locked).
    ///
    /// - Throws: `badConfiguration` for unusable timings or a heartbeat on the buzzer or relay.
    public init(
        outputs: [LampRole: any LampOutput],
        timings: LampTimings = LampTimings(),
        clock: MonotonicClock = .system
    ) throws(LampError) {
        try timings.validate()
        if let heartbeat = timings.heartbeat, heartbeat.role == .buzzer || heartbeat.role == .relay {
            throw LampError(.badConfiguration, "the ready heartbeat must flash a lamp, not the \(heartbeat.role)")
        }
        self.outputs = outputs
        self.timings = timings
        self.clock = clock
    }

    /// The level each output was last driven to successfully (absent: never written).
    public var levels: [LampRole: Bool] {
        lock.withLock { written }
    }

    // MARK: Events

    /// Shows a pass: solid green for `duration` (default `timings.pass`), and a relay pulse if there is a relay.
    /// - Returns: when `tick()` is next needed.
    @discardableResult
    public func showPass(for duration: Duration? = nil) throws(LampError) -> Duration? {
        try showVerdict(passed: true, length: duration ?? timings.pass)
    }

    /// Shows a fail: solid red for `duration` (default `timings.fail`), a beep if there is a buzzer, and the
    /// relay locked at once.
    /// - Returns: when `tick()` is next needed.
    @discardableResult
    public func showFail(for duration: Duration? = nil) throws(LampError) -> Duration? {
        try showVerdict(passed: false, length: duration ?? timings.fail)
    }

    /// Starts or stops the blinking amber fault pattern. Repeating `true` keeps the blink phase.
    @discardableResult
    public func setFault(_ active: Bool) throws(LampError) -> Duration? {
        try update { now in faultSince = active ? (faultSince ?? now) : nil }
    }

    /// Starts or stops the trust-import pattern (amber and green alternating).
    @discardableResult
    public func setImportInProgress(_ active: Bool) throws(LampError) -> Duration? {
        try update { now in
            importSince = active ? (importSince ?? now) : nil
            if active { importOutcome = nil }
        }
    }

    /// Ends the import pattern and shows how the import went, for `timings.importOutcome`: green and amber
    /// solid when the bundle was installed, red and amber blinking when it was refused. Distinct from a
    /// traveller's pass or fail, and the relay stays locked.
    @discardableResult
    public func showImportOutcome(succeeded: Bool) throws(LampError) -> Duration? {
        try update { now in
            importSince = nil
            importOutcome = (succeeded, now)
        }
    }

    /// Marks the device ready (or not); with `timings.heartbeat` set, ready and idle shows the heartbeat.
    @discardableResult
    public func setReady(_ ready: Bool) throws(LampError) -> Duration? {
        try update { now in readySince = ready ? (readySince ?? now) : nil }
    }

    /// Moves the patterns on to the clock's current time.
    /// - Returns: the time at which to tick next, or nil when nothing will change until the next event.
    /// - Throws: the first output failure, after every other output was driven; the next tick retries it.
    @discardableResult
    public func tick() throws(LampError) -> Duration? {
        try update { _ in }
    }

    /// Moves the patterns on to `now` (a time on the panel's clock), for callers that read the clock once.
    @discardableResult
    public func tick(now: Duration) throws(LampError) -> Duration? {
        try lock.withLock { () throws(LampError) in try apply(now: now) }
    }

    /// Shutdown: forgets every pattern, locks the relay first and turns everything off, writing every output
    /// even if it was believed off already.
    /// - Throws: the first failure, after trying every output.
    public func allOff() throws(LampError) {
        try lock.withLock { () throws(LampError) in
            verdict = nil
            faultSince = nil
            importSince = nil
            importOutcome = nil
            readySince = nil
            written = [:]
            try write(outputs.mapValues { _ in false })
        }
    }

    // MARK: Internals

    /// The relay goes first everywhere: locking the gate matters more than any lamp.
    private static let shutdownOrder: [LampRole] = [.relay, .buzzer, .pass, .fail, .fault]

    private func showVerdict(passed: Bool, length: Duration) throws(LampError) -> Duration? {
        guard length > .zero else { throw LampError(.badConfiguration, "a verdict must be shown for a positive time") }
        return try update { now in verdict = Verdict(passed: passed, start: now, length: length) }
    }

    /// Reads the clock, changes the state and drives the outputs, all under the lock.
    private func update(_ change: (Duration) -> Void) throws(LampError) -> Duration? {
        try lock.withLock { () throws(LampError) in
            let now = clock.now().sinceOrigin
            change(now)
            return try apply(now: now)
        }
    }

    /// Drives every output whose level differs from what was last written. Caller holds the lock.
    private func apply(now: Duration) throws(LampError) -> Duration? {
        if let current = verdict, now >= current.end, now >= relayEnd(current), now >= beepEnd(current) {
            verdict = nil
        }
        if let outcome = importOutcome, now >= outcome.start + timings.importOutcome {
            importOutcome = nil
        }
        try write(levels(at: now))
        return nextChange(after: now)
    }

    /// Writes each level that differs from what was last written, relay first; every output is tried
    /// and the first failure is thrown. Caller holds the lock.
    private func write(_ levels: [LampRole: Bool]) throws(LampError) {
        var firstError: LampError?
        for role in Self.shutdownOrder {
            guard let output = outputs[role], let level = levels[role], written[role] != level else { continue }
            do throws(LampError) {
                try output.set(level)
                written[role] = level
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
    }

    private func relayEnd(_ verdict: Verdict) -> Duration {
        verdict.passed ? verdict.start + timings.relayPulse : verdict.start
    }

    private func beepEnd(_ verdict: Verdict) -> Duration {
        // Without a buzzer there is nothing to sound, and no moment at which anything changes.
        guard !verdict.passed, outputs[.buzzer] != nil, let beep = timings.failBeep else { return verdict.start }
        return verdict.start + beep
    }

    private var faultWave: SquareWave? {
        faultSince.map { SquareWave(start: $0, high: timings.faultBlinkPeriod / 2, period: timings.faultBlinkPeriod) }
    }

    private var importWave: SquareWave? {
        importSince.map { SquareWave(start: $0, high: timings.importPeriod / 2, period: timings.importPeriod) }
    }

    private var outcomeWave: SquareWave? {
        importOutcome.map { SquareWave(start: $0.start, high: timings.importPeriod / 4, period: timings.importPeriod / 2) }
    }

    private var heartbeatWave: SquareWave? {
        guard let readySince, let heartbeat = timings.heartbeat else { return nil }
        return SquareWave(start: readySince, high: heartbeat.flash, period: heartbeat.interval)
    }

    /// What every role should show at `now`.
    private func levels(at now: Duration) -> [LampRole: Bool] {
        var levels = Dictionary(uniqueKeysWithValues: LampRole.allCases.map { ($0, false) })
        let showingVerdict = verdict.map { now < $0.end } ?? false
        if let verdict {
            if showingVerdict { levels[verdict.passed ? .pass : .fail] = true }
            levels[.relay] = now < relayEnd(verdict)
            levels[.buzzer] = now < beepEnd(verdict)
        }
        // An import (or its outcome) replaces the fault blink, except during a verdict: it is how a technician
        // cures a trust fault, and needs to see it working.
        let showingImport = !showingVerdict && (importSince != nil || importOutcome != nil)
        if !showingVerdict, let outcome = importOutcome {
            let lit = outcome.succeeded || outcomeWave?.isOn(at: now) == true
            levels[outcome.succeeded ? .pass : .fail] = lit
            levels[.fault] = lit
        } else if !showingVerdict, let importWave {
            let amberHalf = importWave.isOn(at: now)
            levels[.fault] = amberHalf
            levels[.pass] = !amberHalf
        } else if !showingVerdict, faultSince == nil, let heartbeatWave, let role = timings.heartbeat?.role {
            levels[role] = heartbeatWave.isOn(at: now)
        }
        if let faultWave, !showingImport { levels[.fault] = faultWave.isOn(at: now) }
        return levels
    }

    /// The earliest instant after `now` at which `levels(at:)` may change.
    private func nextChange(after now: Duration) -> Duration? {
        var candidates: [Duration] = []
        if let verdict { candidates += [verdict.end, relayEnd(verdict), beepEnd(verdict)] }
        if let importOutcome { candidates.append(importOutcome.start + timings.importOutcome) }
        if importOutcome?.succeeded == false, let outcomeWave { candidates.append(outcomeWave.nextEdge(after: now)) }
        for wave in [faultWave, importWave, heartbeatWave].compactMap({ $0 }) {
            candidates.append(wave.nextEdge(after: now))
        }
        return candidates.filter { $0 > now }.min()
    }
}
