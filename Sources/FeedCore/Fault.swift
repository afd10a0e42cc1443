#if canImport(Glibc)
import Glibc
#endif

/// The one fault-injection mechanism, for the crash and failure tests (reliability.md §10), after
/// Postfix's: `FEEDWATCH_FAULTS=<directory>` arms each fault whose name is a file in that directory,
/// for as long as the file exists. The tests drive the real binary, so the switch is in the
/// environment; the API is SPI, out of every public interface. Unset (always, outside tests), a check
/// is one comparison with nil.
@_spi(Faults) public enum Fault: Sendable {
    /// `crash-at-<point>`: SIGKILL when the named point is reached (`CrashPoint`).
    case crash(at: String)
    /// `spool-full`: spool writes fail with ENOSPC.
    case spoolFull
    /// `fetcher-wedged`: the fetcher's thread stops making progress (the watchdog must notice).
    case fetcherWedged
    /// `sink-state-down`: reading a sink's pending deliveries fails, as during a database outage.
    case sinkStateDown
    /// `spool-pause`: a spool delivery waits after its temporary file is written, before the link, for
    /// as long as the file exists (another deliverer of the same alert runs meanwhile).
    case spoolPause
    /// `sink-clock-ahead`: sink rounds take the time as a day later than it is, so that a test's `once`
    /// finds its held alerts released (digests are formed and sent) without waiting for their time.
    case sinkClockAhead

    private static let directory: String? = getenv("FEEDWATCH_FAULTS").map { String(cString: $0) }

    public var fileName: String {
        switch self {
        case .crash(let point): return "crash-at-" + point
        case .spoolFull: return "spool-full"
        case .fetcherWedged: return "fetcher-wedged"
        case .sinkStateDown: return "sink-state-down"
        case .spoolPause: return "spool-pause"
        case .sinkClockAhead: return "sink-clock-ahead"
        }
    }

    /// The error an armed fault throws where it stands for a failure.
    public struct Injected: Error, CustomStringConvertible {
        public let fault: String
        public var description: String { "injected fault \(fault)" }
        public init(fault: String) { self.fault = fault }
    }

    /// Whether the fault's file exists in `$FEEDWATCH_FAULTS` now.
    public var isArmed: Bool {
        guard let dir = Fault.directory else { return false }
        return access(dir + "/" + fileName, F_OK) == 0
    }
}
