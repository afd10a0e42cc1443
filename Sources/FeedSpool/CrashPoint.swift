#if canImport(Glibc)
import Glibc
#endif

/// Named points where tests kill the process (`FEEDWATCH_CRASH_AT=<name>` → SIGKILL), after Postfix's
/// fault-injection idea: the crash tests of reliability.md §10 (BI-37) prove delivery is exactly once.
public enum CrashPoint: String, Sendable {
    case beforePendingCommit = "before-pending-commit"
    /// The poll's story decisions and outbox rows are committed; nothing is delivered yet.
    case afterStoryCommit = "after-story-commit"
    /// A joining report's "also" line is in the log; its row is not yet marked delivered.
    case afterAlsoLine = "after-also-line"
    case afterTmpWrite = "after-tmp-write"
    case afterLink = "after-link"
    case beforeDeliveredMark = "before-delivered-mark"

    private static let armed: String? = getenv("FEEDWATCH_CRASH_AT").map { String(cString: $0) }

    public func reach() {
        if CrashPoint.armed == rawValue { raise(SIGKILL) }
    }
}
