/// One alert to deliver to one sink (issue 12): created when the alert file is in the spool, kept in
/// the state so that it survives restarts and kill -9, retried until delivered or given up.
public struct SinkJob: Sendable, Equatable {
    public var alertID: String
    public var sink: String
    /// Attempts made before this one.
    public var attempts: Int
    public var createdAt: Int64
    /// The alert file's name in the spool (`<seconds>.<id>.json`) and its exact bytes.
    public var fileName: String
    public var payload: [UInt8]
    /// The claim a shared (PostgreSQL) state handed the delivery out under; its result is recorded only
    /// while the delivery is still pending under that claim. Nil for a node's own state (SQLite).
    public var claim: Int64? = nil
    /// Held for the digest released at this time (`SinkQueueing`); nil for a delivery on its own.
    public var releaseAt: Int64? = nil

    public init(alertID: String, sink: String, attempts: Int, createdAt: Int64, fileName: String, payload: [UInt8]) {
        self.alertID = alertID
        self.sink = sink
        self.attempts = attempts
        self.createdAt = createdAt
        self.fileName = fileName
        self.payload = payload
    }
}

/// What one attempt came to.
/// The delivery was handed to another node after this one's hold ran out (a slow attempt, a paused
/// process): this node's late result is not recorded, so it can never overwrite a newer one.
public struct SinkClaimLost: Error, CustomStringConvertible {
    public let alertID: String
    public let sink: String
    public init(alertID: String, sink: String) {
        self.alertID = alertID
        self.sink = sink
    }
    public var description: String { "the delivery of alert \(alertID) to sink \(sink) was taken over by another node" }
}

public enum SinkAttempt: Sendable, Equatable {
    case delivered
    /// Failed; try again at this time.
    case retry(at: Int64, error: String)
    /// Failed, and the sink's `give_up_after` has passed: no more attempts.
    case failed(error: String)
}

extension SinkAttempt {
    /// The delivery row after this attempt at `time`: its state, when it is next due, and the error to
    /// keep (nil keeps the one before). Both backends store attempts this way.
    public func row(at time: Int64) -> (state: String, nextAttempt: Int64, error: String?) {
        switch self {
        case .delivered: ("delivered", time, nil)
        case .retry(let next, let error): ("pending", next, error)
        case .failed(let error): ("failed", time, error)
        }
    }
}

public struct SinkCounts: Sendable, Equatable {
    public var delivered = 0
    public var pending = 0
    public var failed = 0
    public var lastError: String?

    public init(delivered: Int = 0, pending: Int = 0, failed: Int = 0, lastError: String? = nil) {
        self.delivered = delivered
        self.pending = pending
        self.failed = failed
        self.lastError = lastError
    }
}
