#if canImport(Glibc)
import Glibc
#endif

/// A growable run of plain values in malloc'd memory, for the tree builder's nodes, attributes and
/// bytes: appends and in-place updates with no uniqueness or bounds checks (the SAX callbacks run once
/// per text chunk and element), and the memory is handed whole to the document, which frees it.
/// Not copyable: it owns its memory, and a copy would free it twice.
struct PlainBuffer<Element: BitwiseCopyable>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private var capacity = 0

    init(capacity: Int) { reserve(max(capacity, 16)) }

    /// Room for `extra` more values; grows by doubling.
    mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        capacity = max(capacity * 2, count + extra)
        base = realloc(base, capacity * MemoryLayout<Element>.stride)!.bindMemory(to: Element.self, capacity: capacity)
    }

    mutating func append(_ value: Element) {
        reserve(1)
        base![count] = value
        count += 1
    }

    mutating func append(contentsOf p: UnsafePointer<Element>, count n: Int) {
        reserve(n)
        (base! + count).update(from: p, count: n)
        count += n
    }

    /// The value at `i` (< count), read or updated in place.
    subscript(i: Int) -> Element {
        get { base![i] }
        set { base![i] = newValue }
    }

    /// Counts `n` values written directly after the end (after `reserve(n)`).
    mutating func didWrite(_ n: Int) { count += n }

    /// The memory, now the caller's to free (never nil); the buffer is left empty.
    mutating func take() -> UnsafeMutablePointer<Element> {
        reserve(1)
        let taken = base!
        base = nil
        count = 0
        capacity = 0
        return taken
    }

    /// Frees what no one took.
    mutating func discard() {
        free(base)
        base = nil
        count = 0
        capacity = 0
    }
}
