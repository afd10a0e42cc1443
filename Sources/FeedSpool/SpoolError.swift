#if canImport(Glibc)
import Glibc
#endif

/// Why a spool operation failed: a code to act on (a full disk is retried, a layout problem is
/// reported at start), the failing call's errno and path when there was one, and the message.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable { case noSpace, notWritable, io, layout }

    public var code: Code
    public var message: String
    /// errno of the failing call (nil when no call failed, e.g. a layout check).
    public var errno: Int32?
    /// The file or directory the failing call was about.
    public var path: String?

    public init(_ code: Code, _ message: String, errno: Int32? = nil, path: String? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
        self.path = path
    }

    static func syscall(_ call: String, path: String, errno e: Int32) -> SpoolError {
        let code: Code = e == ENOSPC || e == EDQUOT ? .noSpace : e == EACCES || e == EROFS || e == EPERM ? .notWritable : .io
        return SpoolError(code, "\(call) \(path): \(String(cString: strerror(e)))", errno: e, path: path)
    }

    public var description: String { message }
}
