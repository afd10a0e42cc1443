import Dispatch
import FeedClassify
import FeedCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `feedwatch classify` over JSON Lines on standard input: the input is cut into blocks of whole lines,
/// the blocks are classified in parallel (a few per core) and their output lines are printed in input
/// order. One core spent half its time reading and writing JSON, which held the command to a third of
/// the library's speed.
struct ClassifyStream {
    let classifier: Classifier
    /// Each line says why the topics that matched something did not apply (`classify --explain`).
    var explain = false

    /// Bytes read from standard input at a time; a block is about a thousand items of a natural stream.
    static let blockSize = 1 << 18
    static let wanted: Set<String> = ["id", "title", "summary"]

    /// What one block produced: its output lines, and the lines that were not JSON objects (the
    /// message, and the output's length when it was met, so stderr and stdout keep their order).
    struct BlockOutput: Sendable {
        var lines: [UInt8] = []
        var errors: [(at: Int, message: String)] = []
    }

    /// Classifies every line of standard input; false if some line was not a JSON object.
    func run() async -> Bool {
        var out = LineWriter()
        var failed = false
        let window = max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)
        var input = BlockReader()
        await withTaskGroup(of: (Int, BlockOutput).self) { group in
            var started = 0
            var printed = 0
            var ready: [Int: BlockOutput] = [:]
            func start() async -> Bool {
                guard let (block, firstLine) = await input.next() else { return false }
                let index = started
                started += 1
                group.addTask { (index, classify(block, firstLine: firstLine)) }
                return true
            }
            for _ in 0..<window { guard await start() else { break } }
            for await (index, output) in group {
                ready[index] = output
                while let output = ready.removeValue(forKey: printed) {
                    var from = 0
                    for error in output.errors {
                        out.write(bytes: output.lines[from..<error.at])
                        out.flush()
                        warn(error.message)
                        failed = true
                        from = error.at
                    }
                    out.write(bytes: output.lines[from...])
                    printed += 1
                }
                _ = await start()
            }
        }
        out.flush()
        return !failed
    }

    /// The output of the lines of one block (`firstLine` is the number of its first line in the input).
    private func classify(_ block: [UInt8], firstLine: Int) -> BlockOutput {
        var output = BlockOutput()
        output.lines.reserveCapacity(block.count)
        var scratch = Classifier.Scratch(explainsShortfalls: explain)
        block.withUnsafeBufferPointer { bytes in
            var lineNumber = firstLine
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                var last = end
                if last > start, bytes[last - 1] == 0x0D { last -= 1 }  // CRLF, as readLine strips it
                let line = UnsafeBufferPointer(rebasing: bytes[start..<last])
                if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    if let fields = JSONLineFields.parse(line, wanted: Self.wanted) {
                        func text(_ key: String) -> String? {
                            switch fields[key] {
                            case .string(let s): return s
                            case .number(let n): return key == "id" ? n : nil
                            default: return nil
                            }
                        }
                        let result = classifier.classify(title: text("title"), summary: text("summary"), scratch: &scratch)
                        output.lines.append(contentsOf: result.jsonLineBytes(id: text("id")))
                        output.lines.append(0x0A)
                    } else {
                        output.errors.append((output.lines.count, "stdin:\(lineNumber): not a JSON object\n"))
                    }
                }
                lineNumber += 1
                start = end + 1
            }
        }
        return output
    }
}

/// Standard input as blocks of whole lines. The blocking `read` runs on a dispatch queue, off the
/// cooperative pool, while the blocks already read are classified.
struct BlockReader {
    private var carry: [UInt8] = []
    private var nextLine = 1
    private var ended = false

    /// The next block of whole lines (the last one may lack its newline) and the number of its first
    /// line; nil at the end of the input.
    mutating func next() async -> ([UInt8], Int)? {
        while !ended {
            let chunk = await Self.read(ClassifyStream.blockSize)
            if chunk.isEmpty {
                ended = true
                break
            }
            carry.append(contentsOf: chunk)
            guard let lastNewline = carry.lastIndex(of: 0x0A) else { continue }
            let block = Array(carry[...lastNewline])
            carry.removeSubrange(...lastNewline)
            return emit(block)
        }
        guard !carry.isEmpty else { return nil }
        defer { carry = [] }
        return emit(carry)
    }

    private mutating func emit(_ block: [UInt8]) -> ([UInt8], Int) {
        let first = nextLine
        nextLine += block.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return (block, first)
    }

    /// Up to `count` bytes of standard input; empty at its end (or on a read error, which is reported).
    private static func read(_ count: Int) async -> [UInt8] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var buffer = [UInt8](repeating: 0, count: count)
                while true {
                    let n = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, count) }
                    if n >= 0 {
                        buffer.removeSubrange(n...)
                        break
                    }
                    if errno == EINTR { continue }
                    warn("stdin: \(String(cString: strerror(errno)))")
                    buffer = []
                    break
                }
                continuation.resume(returning: buffer)
            }
        }
    }
}
