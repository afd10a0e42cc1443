#if canImport(Glibc)
import Glibc
#endif

/// Why a spool operation failed, with the errno and the path.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable { case noSpace, notWritable, io, layout }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    static func syscall(_ call: String, path: String, errno e: Int32) -> SpoolError {
        let code: Code = e == ENOSPC || e == EDQUOT ? .noSpace : e == EACCES || e == EROFS || e == EPERM ? .notWritable : .io
        return SpoolError(code, "\(call) \(path): \(String(cString: strerror(e)))")
    }

    public var description: String { message }
}
