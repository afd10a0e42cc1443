import CCurl
@_spi(Faults) import FeedCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Fetches many feeds at once over one libcurl multi handle, driven by a dedicated thread (never the
/// cooperative pool): at most `concurrency` transfers in flight and `perHost` per host, connections
/// reused, HTTP/2 where offered. `fetch` suspends until its transfer finishes; cancelling the task or
/// calling `shutdown()` aborts transfers promptly.
public final class Fetcher: Sendable {
    public struct Options: Sendable {
        public var concurrency: Int
        public var perHost: Int
        public var userAgent: String

        public init(
            concurrency: Int = 16, perHost: Int = 2,
            userAgent: String = "feedwatch/0.1 (+https://github.com/feedwatch/feedwatch)"
        ) {
            self.concurrency = concurrency
            self.perHost = perHost
            self.userAgent = userAgent
        }
    }

    private let loop: MultiLoop

    public init(options: Options = Options()) {
        _ = CurlGlobal.ready
        loop = MultiLoop(options: options)
        loop.start()
    }

    deinit { loop.shutdown() }

    public func fetch(_ request: FetchRequest) async -> FetchResult {
        let id = loop.nextID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<FetchResult, Never>) in
                loop.submit(MultiLoop.Job(id: id, request: request, continuation: c))
            }
        } onCancel: {
            loop.cancel(id)
        }
    }

    /// Fetches every request concurrently (the fetcher's caps apply) and returns results in request order.
    public func fetchAll(_ requests: [FetchRequest]) async -> [FetchResult] {
        await withTaskGroup(of: (Int, FetchResult).self) { group in
            for (i, r) in requests.enumerated() { group.addTask { (i, await self.fetch(r)) } }
            var out = [FetchResult?](repeating: nil, count: requests.count)
            for await (i, r) in group { out[i] = r }
            return out.map { $0! }
        }
    }

    /// Aborts in-flight transfers, fails queued ones as cancelled, and stops the fetcher's thread.
    public func shutdown() { loop.shutdown() }

    /// Milliseconds since the fetcher's thread last went round its loop (at least once a second while it
    /// is healthy): the watchdog pets systemd only while this stays small.
    public var millisecondsSinceProgress: Int64 { Uptime.milliseconds - loop.progress.load(ordering: .relaxed) }
}

enum CurlGlobal {
    static let ready: Bool = {
        // OpenSSL can raise SIGPIPE on a closed connection; with NOSIGNAL the application must ignore it.
        signal(SIGPIPE, SIG_IGN)
        return curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()
}

/// The thread that owns the multi handle and every easy handle (libcurl-thread.md: one thread per handle).
final class MultiLoop: @unchecked Sendable {
    struct Job {
        var id: UInt64
        var request: FetchRequest
        var continuation: CheckedContinuation<FetchResult, Never>
    }

    private struct Shared {
        var pending: [Job] = []
        var cancelled: Set<UInt64> = []
        var stopping = false
        var nextID: UInt64 = 1
    }

    private let options: Fetcher.Options
    private let multi: UnsafeMutableRawPointer
    private let shared = Mutex(Shared())
    let progress = Atomic<Int64>(Uptime.milliseconds)
    private let finished = Mutex(false)
    /// Loop-thread state: active transfers by easy handle.
    private var active: [UnsafeMutableRawPointer: (Job, Transfer)] = [:]
    private var perHost: [String: Int] = [:]
    private var queue: [Job] = []

    init(options: Fetcher.Options) {
        self.options = options
        multi = curl_multi_init()
        // No CURLMOPT_MAX_TOTAL_CONNECTIONS / MAX_HOST_CONNECTIONS: `startQueued` already caps transfers in
        // flight, overall and per host, and a second cap inside libcurl can only park a transfer as
        // "pending" behind idle cached connections, to be retried on a timer (curl issues 2369, 6744).
        // The cache of idle connections is bounded by MAXCONNECTS instead: 16 per transfer slot (256 by
        // default), so a cycle over a few hundred hosts reuses its connections instead of reconnecting.
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(64, options.concurrency * 16))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
    }

    func start() {
        let ctx = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { raw in
                let loop = Unmanaged<MultiLoop>.fromOpaque(raw!).takeRetainedValue()
                loop.run()
                return nil
            }, ctx)
        if rc == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<MultiLoop>.fromOpaque(ctx).release()
            finished.withLock { $0 = true }
        }
    }

    func nextID() -> UInt64 {
        shared.withLock { s in
            defer { s.nextID += 1 }
            return s.nextID
        }
    }

    func submit(_ job: Job) {
        let rejected: Job? = shared.withLock { s in
            if s.stopping || finished.withLock({ $0 }) { return job }
            s.pending.append(job)
            return nil
        }
        if let job = rejected {
            job.continuation.resume(
                returning: FetchResult(
                    url: job.request.url,
                    outcome: .failed(FetchError(.cancelled, "fetcher is shut down")),
                    permanentRedirect: nil, seconds: 0))
            return
        }
        curl_multi_wakeup(multi)
    }

    func cancel(_ id: UInt64) {
        _ = shared.withLock { $0.cancelled.insert(id) }
        curl_multi_wakeup(multi)
    }

    func shutdown() {
        shared.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            progress.store(Uptime.milliseconds, ordering: .relaxed)
            while Fault.fetcherWedged.isArmed { usleep(100_000) }  // the watchdog test wedges the thread
            let (incoming, cancelled, stopping) = shared.withLock { s -> ([Job], Set<UInt64>, Bool) in
                defer {
                    s.pending.removeAll()
                    s.cancelled.removeAll()
                }
                return (s.pending, s.cancelled, s.stopping)
            }
            queue.append(contentsOf: incoming)
            if stopping || !cancelled.isEmpty {
                // Queued jobs end now; active ones are aborted by their progress callback.
                queue.removeAll { job in
                    guard stopping || cancelled.contains(job.id) else { return false }
                    job.continuation.resume(
                        returning: FetchResult(
                            url: job.request.url,
                            outcome: .failed(FetchError(.cancelled, "cancelled")), permanentRedirect: nil, seconds: 0))
                    return true
                }
                for (_, (job, t)) in active where stopping || cancelled.contains(job.id) {
                    t.cancelled.store(true, ordering: .relaxed)
                }
            }
            startQueued()
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            let finished = collectFinished()
            if stopping, active.isEmpty, queue.isEmpty { break }
            // Finished transfers freed slots: refill them now, not after the poll. Waiting here (up to a
            // second when every slot had just emptied) held the cycle at `concurrency` transfers a second.
            if finished > 0, !queue.isEmpty { continue }
            _ = curl_multi_poll(multi, nil, 0, active.isEmpty ? 1000 : 200, nil)
        }
        finished.withLock { $0 = true }
        // Anything that raced in after the last drain.
        let late = shared.withLock { s -> [Job] in
            defer { s.pending.removeAll() }
            return s.pending
        }
        for job in late {
            job.continuation.resume(
                returning: FetchResult(
                    url: job.request.url,
                    outcome: .failed(FetchError(.cancelled, "fetcher is shut down")), permanentRedirect: nil, seconds: 0))
        }
        curl_multi_cleanup(multi)
    }

    /// Adds queued jobs while the global and per-host caps allow, in arrival order.
    private func startQueued() {
        var i = 0
        while i < queue.count, active.count < options.concurrency {
            let job = queue[i]
            let host = job.request.hostKey
            if perHost[host, default: 0] >= options.perHost {
                i += 1
                continue
            }
            queue.remove(at: i)
            guard let t = Transfer(job.request, userAgent: options.userAgent) else {
                job.continuation.resume(
                    returning: FetchResult(
                        url: job.request.url,
                        outcome: .failed(FetchError(.other, "libcurl could not create a handle")), permanentRedirect: nil,
                        seconds: 0))
                continue
            }
            active[t.easy] = (job, t)
            perHost[host, default: 0] += 1
            _ = curl_multi_add_handle(multi, t.easy)
        }
    }

    /// Hands finished transfers their results; returns how many finished.
    private func collectFinished() -> Int {
        var finished = 0
        var left: Int32 = 0
        while let msg = curl_multi_info_read(multi, &left) {
            guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle else { continue }
            let code = msg.pointee.data.result
            _ = curl_multi_remove_handle(multi, easy)
            guard let (job, t) = active.removeValue(forKey: easy) else { continue }
            let host = job.request.hostKey
            perHost[host, default: 1] -= 1
            if perHost[host] == 0 { perHost[host] = nil }
            let result = t.result(code: code)
            job.continuation.resume(returning: result)
            finished += 1
        }
        return finished
    }
}
