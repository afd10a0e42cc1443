#if canImport(Glibc)
import Glibc
#endif

/// Runs one blocking closure on a dedicated POSIX thread, so blocking C calls (libcurl transfers)
/// never occupy Swift's cooperative thread pool. The closure reports its result itself (a continuation).
final class BlockingJob: @unchecked Sendable {
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func start() {
        let ctx = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let job = Unmanaged<BlockingJob>.fromOpaque(raw!).takeRetainedValue()
            job.body()
            return nil
        }, ctx)
        if rc != 0 {
            // No thread to be had: run inline rather than lose the work.
            Unmanaged<BlockingJob>.fromOpaque(ctx).release()
            body()
        } else {
            pthread_detach(thread)
        }
    }
}
