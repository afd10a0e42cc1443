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

        public init(directory: String, name: String) {
            self.directory = directory
            self.name = name
        }
        /// The alert id: the name's second part.
        public var id: String {
            let parts = name.split(separator: ".", maxSplits: 2)
            return parts.count > 1 ? String(parts[1]) : name
        }
    }

    /// Every alert file whose id starts with `prefix`, in `new/` then `cur/`, oldest first.
    public func matching(prefix: String) -> [Located] {
        guard !prefix.isEmpty, !prefix.contains("/"), !prefix.contains(".") else { return [] }
        return alerts(in: [new, cur]).filter { $0.id.hasPrefix(prefix) }
    }

    /// The alert files of `directories`, in order, each directory's oldest first (names start with the
    /// time of the alert).
    public func alerts(in directories: [String]) -> [Located] {
        directories.flatMap { dir in
            Maildir.list(dir).filter { $0.contains(".json") }.map { Located(directory: dir, name: $0) }
        }
    }

    /// Moves an alert from `new/` to `cur/` and makes the move durable (fsync of `cur/`). Returns false
    /// when it was in `cur/` already.
    @discardableResult
    public func acknowledge(_ alert: Located) throws(SpoolError) -> Bool {
        guard alert.directory != cur else { return false }
        let target = cur + "/" + alert.name
        guard rename(alert.path, target) == 0 else { throw .syscall("rename", path: target, errno: errno) }
        try syncDirectory(cur)
        return true
    }
}
