import FeedCore
import FeedSpool

#if canImport(Glibc)
import Glibc
#endif

/// Reading inputs named on the command line.
enum InputFiles {
    /// A directory becomes its files, recursively, in sorted order, named `dir/relative/path` with "/"
    /// separators and `.`/`//` folded, exactly as feed_oracle.py names them; anything else stays as given.
    static func expand(_ input: String) -> [String] {
        if input.hasPrefix("http://") || input.hasPrefix("https://") { return [input] }
        guard Directory.isDirectory(input) else { return [PathText.normalized(input)] }
        var out: [String] = []
        walk(PathText.normalized(input), into: &out)
        return out
    }

    private static func walk(_ dir: String, into out: inout [String]) {
        var files: [String] = []
        var dirs: [String] = []
        for name in Directory.names(in: dir) {
            let path = dir + "/" + name
            if Directory.isDirectory(path) { dirs.append(path) } else { files.append(path) }
        }
        // Python's os.walk with sorted names: this directory's files first, then each subdirectory.
        out.append(contentsOf: files.sorted(by: utf8Less))
        for sub in dirs.sorted(by: utf8Less) { walk(sub, into: &out) }
    }

    private static func utf8Less(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }
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
        // One buffer of the file's size, read into directly (chunks appended grew and copied the array
        // a dozen times per feed); a byte more than stat says, to see the end in the same reads.
        var st = stat()
        let size = fstat(fd, &st) == 0 && st.st_mode & S_IFMT == S_IFREG ? Int(st.st_size) : 0
        var failure: Int32 = 0
        var out = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, filled in
            filled = 0
            while filled < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { return }
                filled += n
            }
        }
        if failure != 0 { throw ReadError(path: path, errno: failure) }
        guard out.count == size + 1 else { return out }
        // Longer than stat said (still being written, or not a regular file): the rest in chunks.
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
