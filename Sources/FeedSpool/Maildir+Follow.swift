#if canImport(Glibc)
import Glibc
#endif

extension Maildir {
    /// Calls `arrived` with the name of each file that lands in `new/` from now on (a link or a rename
    /// into it: how deliveries arrive), until `arrived` returns false. Blocks the calling thread in
    /// read(2) on an inotify descriptor: no polling. Dot files are not alerts. `ready` runs once the
    /// watch is in place: every delivery after it is seen.
    ///
    /// When the kernel's event queue overflows (a burst larger than `max_queued_events` while the reader
    /// was slow), events are lost: `new/` is then listed again, every file in it not yet passed to
    /// `arrived` (and not there before the watch began) is passed in name order, and `overflowed` is told
    /// how many were found that way (issue 23, finding 10).
    public func follow(
        ready: () -> Void = {}, overflowed: (Int) -> Void = { _ in }, _ arrived: (String) -> Bool
    ) throws(SpoolError) {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw .syscall("inotify_init1", path: new, errno: errno) }
        defer { close(fd) }
        guard inotify_add_watch(fd, new, UInt32(IN_CREATE | IN_MOVED_TO)) >= 0 else {
            throw .syscall("inotify_add_watch", path: new, errno: errno)
        }
        // What new/ holds, shown or there before the watch: a rescan passes on only the rest. Names that
        // left new/ (acknowledged) are dropped at each rescan, so this stays the size of new/.
        var known = Set(Maildir.list(new))
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
                let (length, mask, name) = buffer.withUnsafeBytes { raw -> (Int, UInt32, String) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let bytes = raw[(offset + header)..<(offset + header + Int(event.len))]
                    return (Int(event.len), event.mask, String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self))
                }
                offset += header + length
                if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    let now = Maildir.list(new)
                    let missed = now.filter { !known.contains($0) }
                    known = Set(now)
                    overflowed(missed.count)
                    for name in missed where !arrived(name) { return }
                    continue
                }
                // Not a dot file, and not passed on already (by a rescan that saw it before its event).
                guard !name.isEmpty, !name.hasPrefix("."), known.insert(name).inserted else { continue }
                if !arrived(name) { return }
            }
        }
    }
}
