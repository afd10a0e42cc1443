import Logging
public import ServiceLifecycle

/// Moves alerts from the outbox to the spool: at start (whatever a previous run left pending), on each
/// request from the poller, and every `retryInterval` while rows stay pending (a full disk, an
/// unwritable spool). Started first and stopped last, so the polls that finish during shutdown are
/// still delivered.
public struct DeliveryService: Service {
    let resources: DaemonResources
    let requests: DeliveryRequests
    let retryInterval: Duration

    public init(resources: DaemonResources, requests: DeliveryRequests, retryInterval: Duration = .seconds(30)) {
        self.resources = resources
        self.requests = requests
        self.retryInterval = retryInterval
    }

    public func run() async {
        var stillPending = await round(reportedPending: false)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // The retry timer ends with graceful shutdown; the requests end when the poller stops.
                try? await cancelWhenGracefulShutdown {
                    while true {
                        try await Task.sleep(for: retryInterval)
                        requests.request()
                    }
                }
            }
            await withGracefulShutdownHandler {
                for await _ in requests.stream {
                    stillPending = await round(reportedPending: stillPending)
                }
            } onGracefulShutdown: {
                requests.finish()
            }
        }
        // One last round for whatever the last polls committed.
        _ = await round(reportedPending: stillPending)
    }

    /// One delivery round; returns whether rows stay pending (so recovery is reported once).
    private func round(reportedPending: Bool) async -> Bool {
        let outcome = await Delivery(context: resources.context).deliverPending()
        if outcome.pending > 0 { return true }
        if reportedPending { resources.logger.notice("pending alerts delivered again") }
        return false
    }
}
