#if canImport(Glibc)
import Glibc
#endif

/// Standard output in 64 KiB writes, for commands that print a line per input (`parse`, `classify`):
/// `print` costs a locked stdio call per line.
struct LineWriter {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    mutating func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// One line given as UTF-8 bytes, without its newline.
    mutating func write(line: [UInt8]) {
        buffer.append(contentsOf: line)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Lines already ending in newlines.
    mutating func write(bytes: ArraySlice<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                break  // stdout closed (a pipe reader went away): nothing more can be said
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
