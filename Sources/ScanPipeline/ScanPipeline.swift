import CodeScanning
import Frames
import HealthCredentials
import SystemCalls

/// Frames → codes → decisions, keeping up with the camera.
///
/// Two OS threads: the capture thread pulls frames from the source into a ``LatestFrameMailbox``; the scan
/// thread takes the newest frame, scans it with zbar through a ``ScanCascade`` (a reduced copy first, then
/// the full frame and rescued variants, within a time budget per frame), drops payloads seen within the de-duplication window
/// and calls `decide` (which verifies, e.g. with `HC1Verifier`) for each new code. Because the mailbox holds
/// one frame, a slow scan never builds a queue: frames that arrive meanwhile replace each other and are
/// counted as dropped, and the next scan sees the newest picture. So a decision comes from the first scanned
/// frame in which zbar can read the code.
///
/// Results go out as ``ScanEvent``s, to the `onEvent` handler (called on the pipeline's threads) and to
/// ``events``. Source errors (`timeout`, `deviceLost`, …) become `sourceFault` events and capture continues;
/// a finite source ending produces `sourceEnded` once its last frame has been scanned.
///
/// Nothing here logs, and nothing read from a code is kept: events carry the caller's ``Decision``, the
/// de-duplicator keeps keyed hashes, and ``counters`` are numbers.
///
/// Lifecycle in the style of swift-service-lifecycle: ``run()`` starts the threads and returns when the source
/// ends, ``stop()`` is called or the task is cancelled; ``stop()`` joins both threads and closes the source.
public final class ScanPipeline: @unchecked Sendable {
    // @unchecked: `source` is used only by the capture thread between `start()` and the join in `stop()`,
    // and closed once after that; the scanner lives in a lock; all other mutable state is under `state`.

    /// Every event, newest kept if nobody reads (see `eventBufferSize`). Finishes when the pipeline stops.
    public let events: AsyncStream<ScanEvent>
    /// A short description of the source, for logs.
    public let sourceDescription: String

    private let source: any FrameSource
    private let mailbox = LatestFrameMailbox()
    private let stage: Locked<ScanStage>
    private let counterStore = Locked(ScanCounters())
    private let clock: MonotonicClock
    private let faultBackoff: Duration
    private let onEvent: (@Sendable (ScanEvent) -> Void)?
    private let onFrameScanned: (@Sendable (Frame) -> Void)?
    private let continuation: AsyncStream<ScanEvent>.Continuation

    private let state = ConditionLock()
    // Guarded by `state`.
    private var started = false
    private var stopRequested = false
    private var sourceEnded = false
    private var sourceClosed = false
    private var runningThreads = 0
    private var threads: [JoinableThread] = []
    private var finishWaiters: [CheckedContinuation<Void, Never>] = []

    /// Sets up a pipeline; nothing runs until ``start()`` or ``run()``.
    ///
    /// - Parameters:
    ///   - source: where frames come from; the pipeline closes it when it stops.
    ///   - scanner: the zbar scanner to use; nil creates one. Only one thread uses it at a time.
    ///   - scanBudget: the most time the scan cascade may spend on one frame (its first rung always runs);
    ///     the default keeps up with a 30 fps camera. See ``ScanCascade``.
    ///   - scanRungs: the cascade's rung order before learning; the default starts with a reduced copy.
    ///   - dedupWindow: a payload seen again within this time of its last sighting yields no new decision.
    ///   - dedupCapacity: how many recent payload hashes are remembered.
    ///   - clock: for latency and the back-off after source errors; tests inject one.
    ///   - faultBackoff: pause after a source error other than `timeout` (a `timeout` has already waited),
    ///     so a source failing at once cannot spin a core.
    ///   - eventBufferSize: how many unread events ``events`` keeps (the newest).
    ///   - onEvent: called for every event, on the capture thread (faults) or the scan thread (the rest).
    ///     Keep it short: it delays the next scan. Do not call ``stop()`` from it (use ``requestStop()``).
    ///   - onFrameScanned: called on the scan thread after every scanned frame, with or without codes: proof
    ///     that capture and scanning both make progress (the daemon feeds the systemd watchdog from it).
    ///   - decide: verifies one payload (the exact bytes zbar read) and returns a holder-free ``Decision``.
    /// - Throws: `scannerFailure` if zbar cannot be set up.
    public init(
        source: any FrameSource,
        scanner: QRScanner? = nil,
        scanBudget: Duration = ScanCascade.defaultBudget,
        scanRungs: [ScanRung] = ScanCascade.cameraRungs,
        dedupWindow: Duration = .seconds(3),
        dedupCapacity: Int = 64,
        clock: MonotonicClock = .system,
        faultBackoff: Duration = .milliseconds(100),
        eventBufferSize: Int = 64,
        onEvent: (@Sendable (ScanEvent) -> Void)? = nil,
        onFrameScanned: (@Sendable (Frame) -> Void)? = nil,
        decide: @escaping @Sendable (_ payload: [UInt8], _ frame: Frame) -> Decision
    ) throws(CodeScanningError) {
        let zbar: QRScanner
        if let scanner {
            zbar = scanner
        } else {
            zbar = try QRScanner()
        }
        let cascade = try ScanCascade(scanner: zbar, rungs: scanRungs, budget: scanBudget, clock: clock)
        self.source = source
        sourceDescription = source.description
        self.clock = clock
        self.faultBackoff = faultBackoff
        self.onEvent = onEvent
        self.onFrameScanned = onFrameScanned
        (events, continuation) = AsyncStream.makeStream(
            of: ScanEvent.self, bufferingPolicy: .bufferingNewest(max(1, eventBufferSize)))
        stage = Locked(
            ScanStage(
                cascade: cascade,
                deduplicator: PayloadDeduplicator(window: dedupWindow, capacity: dedupCapacity),
                clock: clock, counters: counterStore, decide: decide
            )
        )
    }

    deinit {
        continuation.finish()
    }

    /// A consistent snapshot of the counters.
    public var counters: ScanCounters {
        var snapshot = counterStore.withLock { $0 }
        snapshot.framesDropped = mailbox.framesDropped
        return snapshot
    }

    // MARK: Running

    /// Starts the capture and scan threads. Does nothing if already started or stopped.
    public func start() {
        state.lock()
        defer { state.unlock() }
        guard !started, !stopRequested else { return }
        started = true
        let loops: [@Sendable () -> Void] = [{ [self] in captureLoop() }, { [self] in scanLoop() }]
        for loop in loops {
            runningThreads += 1
            let thread = JoinableThread.start { [self] in
                loop()
                threadFinished()
            }
            if let thread {
                threads.append(thread)
            } else {
                // No thread: behave as if the source had ended so that run() returns instead of hanging.
                runningThreads -= 1
                stopRequested = true
                mailbox.close()
            }
        }
        if runningThreads == 0 { resumeFinishWaiters() }
    }

    /// Runs until the source ends, ``stop()`` or ``requestStop()`` is called, or the task is cancelled;
    /// then joins the threads and closes the source. Blocking work happens on the pipeline's own threads,
    /// never on the caller's executor.
    public func run() async {
        start()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                state.withLock {
                    if runningThreads == 0 {
                        waiter.resume()
                    } else {
                        finishWaiters.append(waiter)
                    }
                }
            }
        } onCancel: {
            requestStop()
        }
        stop()
    }

    /// Asks the threads to finish without waiting: safe from the event handler and from any thread.
    /// The capture thread notices after its current `nextFrame()` returns (at most the source's timeout).
    public func requestStop() {
        state.withLock { stopRequested = true }
        mailbox.close()
    }

    /// Stops capture and scanning, waits for both threads, closes the source and finishes ``events``.
    /// Idempotent. Must not be called from the `onEvent` handler (it would wait for its own thread).
    public func stop() {
        requestStop()
        let toJoin: [JoinableThread] = state.withLock {
            defer { threads = [] }
            return threads
        }
        for thread in toJoin where !thread.isCurrent {
            thread.join()
        }
        let closeSource: Bool = state.withLock {
            // Another caller may be joining; the source is closed only once no loop can touch it.
            while runningThreads > 0 { state.wait() }
            defer { sourceClosed = true }
            return !sourceClosed
        }
        if closeSource {
            source.close()
        }
        continuation.finish()
    }

    /// Scans one frame synchronously on the caller's thread and returns its events (not sent to the handler
    /// or ``events``). For deterministic tests and one-shot tools; counts the frame like a captured one.
    public func process(frame: Frame) -> [ScanEvent] {
        counterStore.withLock { $0.frames += 1 }
        return stage.withLock { $0.process(frame) }
    }

    /// Forgets every remembered payload, so the next sighting of any code is decided afresh
    /// (e.g. after the trust list changed).
    public func forgetRecentPayloads() {
        stage.withLock { $0.forgetPayloads() }
    }

    // MARK: Threads

    private var isStopRequested: Bool {
        state.withLock { stopRequested }
    }

    private func captureLoop() {
        while !isStopRequested {
            do throws(FrameSourceError) {
                guard let frame = try source.nextFrame() else {
                    state.withLock { sourceEnded = true }
                    break
                }
                counterStore.withLock { $0.frames += 1 }
                mailbox.put(frame)
            } catch {
                counterStore.withLock { $0.sourceFaults += 1 }
                emit(ScanEvent(kind: .sourceFault(error), emitted: clock.now()))
                if error.code != .timeout {
                    clock.sleep(faultBackoff)
                }
            }
        }
        mailbox.close()
    }

    private func scanLoop() {
        while true {
            guard let frame = mailbox.take(timeout: .milliseconds(250)) else {
                if mailbox.isClosed { break }
                continue
            }
            let events = stage.withLock { $0.process(frame) }
            for event in events {
                emit(event)
            }
            onFrameScanned?(frame)
        }
        if state.withLock({ sourceEnded }) {
            emit(ScanEvent(kind: .sourceEnded, emitted: clock.now()))
        }
    }

    private func emit(_ event: ScanEvent) {
        onEvent?(event)
        continuation.yield(event)
    }

    private func threadFinished() {
        state.withLock {
            runningThreads -= 1
            if runningThreads == 0 {
                resumeFinishWaiters()
            }
        }
    }

    /// Called with `state` held.
    private func resumeFinishWaiters() {
        let waiters = finishWaiters
        finishWaiters = []
        for waiter in waiters {
            waiter.resume()
        }
        state.broadcast()
    }
}
