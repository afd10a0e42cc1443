/// File paths as text (no file system access): the directory part, and `.`/`..`/`//` folded as
/// Python's os.path.normpath does (feed_oracle.py names files that way).
public enum PathText: Sendable {
    /// The part before the last `/` (`/a/b` → `/a`, `/b` → ``, `b` → ``).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// `.` dropped, `x/..` folded, repeated `/` collapsed; `..` above the root of an absolute path is
    /// dropped, and kept at the start of a relative one.
    public static func normalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for p in path.split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if p == "..", absolute { continue }
            parts.append(p)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
