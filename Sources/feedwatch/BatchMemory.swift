import CMalloc

/// glibc's allocator tuned for the commands that read a batch and exit (`parse`, `classify`): freed
/// memory stays in the heap for the next input instead of going back to the kernel. By default every
/// buffer over 128 KiB is its own mmap, so each feed document was mapped, faulted in page by page,
/// zeroed and unmapped again: a tenth of `parse`'s time over the real corpus. The daemon keeps the
/// defaults, so its resident memory follows its load.
enum BatchMemory {
    static func keepFreedMemory() {
        _ = mallopt(M_MMAP_THRESHOLD, 64 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
    }
}
