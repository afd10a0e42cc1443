/// Errors that stop a daemon command, with the sysexits code it exits with and the error underneath
/// (a `ConfigError` with its position, a `SpoolError` with its errno and path, a store error), kept
/// as it is until it is printed.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable { case config, io, locked, data }

    public var code: Code
    /// What failed, in the daemon's words ("spool /var/spool/feedwatch is not usable").
    public var message: String
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }

    /// sysexits(3): 78 configuration, 74 I/O (a held lock included), 65 data.
    public var exitCode: Int32 {
        switch code {
        case .config: return 78
        case .io, .locked: return 74
        case .data: return 65
        }
    }
}

/// A failed system call: the call, the path and errno, for a `DaemonError`'s cause.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public var errno: Int32
    public var call: String
    public var path: String

    public var description: String { "\(call) \(path): errno \(errno)" }
}
