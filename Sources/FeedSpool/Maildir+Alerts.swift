#if canImport(Glibc)
import Glibc
#endif

/// What readers do with the spool (`feedwatch alerts`): find an alert file by id, and acknowledge it by
/// moving it from `new/` to `cur/`, as a mail reader marks a message seen.
extension Maildir {
    /// Where an alert file is.
    public struct Located: Sendable, Equatable {
        /// `new` or `cur`.
        public var directory: String
        /// `<seconds>.<id>.json`, or with maildir flags once a reader has seen it.
        public var name: String
        public var path: String { directory + "/" + name }
    }

    /// The file of alert `id`, in `new/` or `cur/`; nil for an unknown (or malformed) id.
    public func find(_ id: String) -> Located? {
        guard !id.isEmpty, !id.contains("/") else { return nil }
        for dir in [new, cur] {
            if let name = Maildir.list(dir).first(where: { $0.contains(".\(id).json") }) {
                return Located(directory: dir, name: name)
            }
        }
        return nil
    }

    /// Moves an alert from `new/` to `cur/` and makes the move durable (fsync of `cur/`). Returns false
    /// when it was in `cur/` already.
    @discardableResult
    public func acknowledge(_ alert: Located) throws(SpoolError) -> Bool {
        guard alert.directory != cur else { return false }
        let target = cur + "/" + alert.name
        guard rename(alert.path, target) == 0 else { throw .syscall("rename", path: target, errno: errno) }
        let fd = open(cur, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .syscall("open", path: cur, errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw .syscall("fsync", path: cur, errno: errno) }
        return true
    }
}
