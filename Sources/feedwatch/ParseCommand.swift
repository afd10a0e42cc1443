import ArgumentParser
import FeedCore
import FeedHTTP
import FeedXML
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
        let parser = FeedParser()
        var failed = false
        for input in inputs {
            for source in InputFiles.expand(input) {
                let line: String
                switch await load(source) {
                case .success(let (bytes, url, charset)):
                    do {
                        let feed = try parser.parse(bytes, documentURL: url, httpCharset: charset)
                        line = ParseReport.line(file: source, feed: feed)
                    } catch {
                        failed = true
                        line = ParseReport.errorLine(file: source, message: error.description)
                    }
                case .failure(let message):
                    failed = true
                    line = ParseReport.errorLine(file: source, message: message.text)
                }
                print(line)
            }
        }
        if failed { throw ExitCode.dataError }
    }

    struct LoadError: Error { let text: String }

    private func load(_ source: String) async -> Result<([UInt8], String?, String?), LoadError> {
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
