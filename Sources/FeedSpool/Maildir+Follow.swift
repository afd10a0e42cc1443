#if canImport(Glibc)
import Glibc
#endif

extension Maildir {
    /// Calls `arrived` with the name of each file that lands in `new/` from now on (a link or a rename
    /// into it: how deliveries arrive), until `arrived` returns false. Blocks the calling thread in
    /// read(2) on an inotify descriptor: no polling. Dot files are not alerts. `ready` runs once the
    /// watch is in place: every delivery after it is seen.
    public func follow(ready: () -> Void = {}, _ arrived: (String) -> Bool) throws(SpoolError) {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw .syscall("inotify_init1", path: new, errno: errno) }
        defer { close(fd) }
        guard inotify_add_watch(fd, new, UInt32(IN_CREATE | IN_MOVED_TO)) >= 0 else {
            throw .syscall("inotify_add_watch", path: new, errno: errno)
        }
        ready()
        // Room for many events: each is a header plus a NUL-padded name.
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .syscall("read", path: new, errno: errno)
            }
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            while offset + header <= n {
                let (length, name) = buffer.withUnsafeBytes { raw -> (Int, String) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let bytes = raw[(offset + header)..<(offset + header + Int(event.len))]
                    return (Int(event.len), String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self))
                }
                offset += header + length
                if !name.isEmpty, !name.hasPrefix("."), !arrived(name) { return }
            }
        }
    }
}
