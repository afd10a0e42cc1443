// Benchmarks, run in a release build from bench/parse.sh and bench/classify.sh:
//   feedwatch-bench [--rounds N] [DIR...]       parser throughput over every file under DIR
//   feedwatch-bench classify [--items N] FILE    classification throughput over FILE's items repeated to N
//   feedwatch-bench stories-eval FILE.jsonl...   every merge the story matcher makes over the files' items
//   feedwatch-bench stories-cost FILE.jsonl...   the story stage's cost per item with 10,000 open stories
import FeedClassify
import FeedCore
import FeedHTTP
import FeedXML
import Foundation

#if canImport(Glibc)
import Glibc
#endif

func readAll(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out.append(contentsOf: buf[0..<n])
    }
    return out
}

func listFiles(_ dir: String) -> [String] {
    guard let d = opendir(dir) else { return [dir] }
    defer { closedir(d) }
    var out: [String] = []
    while let e = readdir(d) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name.hasPrefix(".") { continue }
        let path = dir + "/" + name
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { out += listFiles(path) } else { out.append(path) }
    }
    return out.sorted()
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var args = CommandLine.arguments.dropFirst()
if args.first == "stories-eval" {
    storyEvaluation(Array(args.dropFirst()))
    exit(0)
}
if args.first == "stories-cost" {
    await storyCost(Array(args.dropFirst()))
    exit(0)
}
if args.first == "fetch" {
    // feedwatch-bench fetch URLS_FILE [--concurrency N] [--per-host N] [--resolve host:port:addr]...
    args.removeFirst()
    var concurrency = 16
    var perHost = 2
    var resolve: [String] = []
    var file = ""
    while let a = args.popFirst() {
        switch a {
        case "--concurrency": concurrency = args.popFirst().flatMap { Int($0) } ?? concurrency
        case "--per-host": perHost = args.popFirst().flatMap { Int($0) } ?? perHost
        case "--resolve": if let r = args.popFirst() { resolve.append(r) }
        default: file = a
        }
    }
    let urls = ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    let fetcher = Fetcher(options: .init(concurrency: concurrency, perHost: perHost))
    let parser = FeedParser()
    var validators: [String: (String?, String?)] = [:]
    func cycle(_ label: String) async {
        let t0 = now()
        let requests = urls.map { u in
            FetchRequest(
                url: u, etag: validators[u]?.0, lastModified: validators[u]?.1,
                addressPolicy: .allowEverything, resolve: resolve)
        }
        var bodies = 0
        var notModified = 0
        var failed = 0
        var entries = 0
        var bytes = 0
        for r in await fetcher.fetchAll(requests) {
            switch r.outcome {
            case .body(let b):
                bodies += 1
                bytes += b.bytes.count
                validators[r.url] = (b.etag, b.lastModified)
                if let f = try? parser.parse(b.bytes, documentURL: b.finalURL, httpCharset: b.charset) {
                    entries += f.entries.count
                }
            case .notModified: notModified += 1
            default: failed += 1
            }
        }
        let dt = now() - t0
        print(
            "\(label): \(urls.count) feeds in \(fmt(dt, 3)) s — \(bodies) bodies (\(bytes / 1_048_576) MiB, \(entries) entries parsed), "
                + "\(notModified) not modified, \(failed) failed")
    }
    await cycle("cycle 1 (cold)")
    await cycle("cycle 2 (conditional)")
    fetcher.shutdown()
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print("peak RSS \(usage.ru_maxrss / 1024) MB")
    exit(0)
}
if args.first == "classify" {
    args.removeFirst()
    var count = 200_000
    var file = "../shared/eval/headlines-dev.jsonl"
    while let a = args.popFirst() {
        if a == "--items", let n = args.popFirst().flatMap({ Int($0) }) { count = n } else { file = a }
    }
    let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    let items = (try? Evaluation.readItems(text, file: file)) ?? []
    guard !items.isEmpty else {
        print("no items in \(file)")
        exit(1)
    }
    let t0 = now()
    let classifier = Classifier(topics: TopicCatalog.defaults)
    let build = now() - t0
    var best = Double.infinity
    var assigned = 0
    for _ in 0..<3 {
        assigned = 0
        let t1 = now()
        for i in 0..<count {
            let item = items[i % items.count]
            assigned += classifier.classify(title: item.title, summary: item.summary).topics.count
        }
        best = min(best, now() - t1)
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print("items: \(count) (\(items.count) distinct), topics assigned: \(assigned), classifier built in \(Int(build * 1000)) ms")
    print(
        "best of 3: \(Int(best * 1000)) ms  \(Int(Double(count) / best)) items/s on one core  "
            + "\(Int(best / Double(count) * 1e9)) ns/item  peak RSS \(usage.ru_maxrss / 1024) MB")
    exit(0)
}
var rounds = 5
var dirs: [String] = []
while let a = args.popFirst() {
    if a == "--rounds", let n = args.popFirst().flatMap({ Int($0) }) { rounds = n } else { dirs.append(a) }
}
if dirs.isEmpty { dirs = ["../shared/corpus/real"] }
let docs = dirs.flatMap(listFiles).compactMap(readAll)
let totalBytes = docs.reduce(0) { $0 + $1.count }
let parser = FeedParser()
var best = Double.infinity
var entries = 0
var failures = 0
for _ in 0..<rounds {
    entries = 0
    failures = 0
    let t0 = now()
    for d in docs {
        if let f = try? parser.parse(d) { entries += f.entries.count } else { failures += 1 }
    }
    best = min(best, now() - t0)
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let mb = Double(totalBytes) / 1_048_576
print("files: \(docs.count), bytes: \(totalBytes), entries: \(entries), failed: \(failures)")
func fmt(_ v: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let r = (v * scale).rounded() / scale
    return decimals == 0 ? String(Int(r)) : String(r)
}
let seconds = best
let mbPerSecond = mb / seconds
let entriesPerSecond = Double(entries) / seconds
let peakMB = Double(usage.ru_maxrss) / 1024
print(
    "best of \(rounds) rounds: \(fmt(seconds * 1000, 1)) ms  \(fmt(mbPerSecond, 1)) MB/s  "
        + "\(fmt(entriesPerSecond, 0)) entries/s  peak RSS \(fmt(peakMB, 1)) MB")
