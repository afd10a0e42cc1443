@_spi(Faults) import FeedCore

#if canImport(Glibc)
import Glibc
#endif

/// Named points where tests kill the process (the fault `crash-at-<name>`, see `Fault` → SIGKILL): the crash tests of reliability.md §10 (BI-37) prove delivery is exactly once.
public enum CrashPoint: String, Sendable {
    case beforePendingCommit = "before-pending-commit"
    /// The poll's story decisions and outbox rows are committed; nothing is delivered yet.
    case afterStoryCommit = "after-story-commit"
    /// A joining report's "also" line is in the log; its row is not yet marked delivered.
    case afterAlsoLine = "after-also-line"
    case afterTmpWrite = "after-tmp-write"
    case afterLink = "after-link"
    case beforeDeliveredMark = "before-delivered-mark"
    /// A digest is formed (its members taken, its document stored); nothing is sent yet.
    case afterDigestFormed = "after-digest-formed"
    /// The sink has the digest; its delivery is not yet recorded.
    case beforeDigestRecord = "before-digest-record"
    /// A WebSub push is parsed and classified; nothing of it is committed yet.
    case beforePushCommit = "before-push-commit"
    /// A push is committed; the hub has not had its answer yet.
    case afterPushCommit = "after-push-commit"

    public func reach() {
        if Fault.crash(at: rawValue).isArmed { raise(SIGKILL) }
    }
}
