import ArgumentParser
import FeedCore
import FeedHTTP
import FeedXML
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `feedwatch parse FILE_OR_URL...`: one JSON line per input (design.md), exit 65 if any input failed.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse feed files or http(s) URLs and print one JSON object per input.")

    @Argument(help: "Feed files, directories (read recursively, in name order) or http(s) URLs.")
    var inputs: [String]

    func run() async throws {
        BatchMemory.keepFreedMemory()
        let sources = inputs.flatMap(InputFiles.expand)
        var out = LineWriter()
        var failed = false
        // Inputs are parsed in parallel (a few per core) and printed in their order: parsing is CPU work,
        // and one core left the other idle while the process took twice xmllint's time.
        let window = max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)
        await withTaskGroup(of: (Int, [UInt8], Bool).self) { group in
            var next = 0
            var ready: [Int: ([UInt8], Bool)] = [:]
            var printed = 0
            func start() {
                guard next < sources.count else { return }
                let (index, source) = (next, sources[next])
                next += 1
                group.addTask {
                    let (line, ok) = await Self.report(source)
                    return (index, line, ok)
                }
            }
            for _ in 0..<window { start() }
            for await (index, line, ok) in group {
                ready[index] = (line, ok)
                while let (line, ok) = ready.removeValue(forKey: printed) {
                    out.write(line: line)
                    if !ok { failed = true }
                    printed += 1
                }
                start()
            }
        }
        out.flush()
        if failed { throw ExitCode.dataError }
    }

    /// The output line for one input, and whether it parsed.
    private static func report(_ source: String) async -> ([UInt8], Bool) {
        switch await load(source) {
        case .success(let (bytes, url, charset)):
            do {
                let feed = try FeedParser().parse(bytes, documentURL: url, httpCharset: charset)
                return (ParseReport.line(file: source, feed: feed), true)
            } catch {
                return (ParseReport.errorLine(file: source, message: error.description), false)
            }
        case .failure(let message):
            return (ParseReport.errorLine(file: source, message: message.text), false)
        }
    }

    struct LoadError: Error { let text: String }

    private static func load(_ source: String) async -> Result<([UInt8], String?, String?), LoadError> {
        if source.hasPrefix("http://") || source.hasPrefix("https://") {
            let fetcher = Fetcher()
            defer { fetcher.shutdown() }
            // `parse` is run by hand on URLs the user chose, so private addresses are allowed here.
            let result = await fetcher.fetch(FetchRequest(url: source, addressPolicy: .allowEverything))
            switch result.outcome {
            case .body(let body):
                return .success((body.bytes, body.finalURL, body.charset))
            case .failed(let reason):
                return .failure(LoadError(text: reason.description))
            default:
                return .failure(LoadError(text: "unexpected fetch outcome: \(result.outcome)"))
            }
        }
        do {
            return .success((try FileBytes.read(source), nil, nil))
        } catch {
            return .failure(LoadError(text: "\(error)"))
        }
    }
}
