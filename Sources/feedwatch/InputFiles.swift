#if canImport(Glibc)
import Glibc
#endif

/// Reading inputs named on the command line.
enum InputFiles {
    /// A directory becomes its files, recursively, in sorted order, named `dir/relative/path` with "/"
    /// separators and `.`/`//` folded, exactly as feed_oracle.py names them; anything else stays as given.
    static func expand(_ input: String) -> [String] {
        if input.hasPrefix("http://") || input.hasPrefix("https://") { return [input] }
        var st = stat()
        guard stat(input, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return [normalize(input)] }
        var out: [String] = []
        walk(normalize(input), into: &out)
        return out
    }

    private static func walk(_ dir: String, into out: inout [String]) {
        guard let d = opendir(dir) else { return }
        var files: [String] = [], dirs: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = dir + "/" + name
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR { dirs.append(path) } else { files.append(path) }
        }
        closedir(d)
        // Python's os.walk with sorted names: this directory's files first, then each subdirectory.
        out.append(contentsOf: files.sorted(by: utf8Less))
        for sub in dirs.sorted(by: utf8Less) { walk(sub, into: &out) }
    }

    private static func utf8Less(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }

    /// os.path.normpath for relative and absolute paths: folds `.`, `//` and `x/..`.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for p in path.split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if p == "..", absolute { continue }
            parts.append(p)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}

/// Whole-file reads with errno in the message.
enum FileBytes {
    struct ReadError: Error, CustomStringConvertible {
        let path: String
        let errno: Int32
        var description: String { "\(path): \(String(cString: strerror(errno)))" }
    }

    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(path: path, errno: errno) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, errno: errno)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }
}
