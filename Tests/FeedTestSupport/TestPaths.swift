import Foundation

/// Where the repository, its seeds and the shared reference material are, wherever the tests run from.
public enum TestPaths: Sendable {
    /// The repository root (this file is Tests/FeedTestSupport/TestPaths.swift).
    public static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `../shared` beside the repository (read-only in CI).
    public static var shared: String { repoRoot + "/../shared" }
    public static var seeds: String { repoRoot + "/seeds" }

    public static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public static func seed(_ name: String) throws -> [UInt8] { try bytes(seeds + "/" + name) }

    /// A fresh directory under the system temp dir, removed by the caller when done.
    public static func temporaryDirectory(_ label: String = "feedwatch-test") throws -> String {
        let path = NSTemporaryDirectory() + "/\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Runs a program to completion and captures its output.
public enum Subprocess: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static func run(
        _ executable: String, _ arguments: [String], cwd: String? = nil,
        stdoutFile: String? = nil, stdinFile: String? = nil,
        environment: [String: String] = [:]
    ) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe()
        let err = Pipe()
        if let stdoutFile {
            _ = FileManager.default.createFile(atPath: stdoutFile, contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutFile))
        } else {
            p.standardOutput = out
        }
        p.standardError = err
        if let stdinFile { p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdinFile)) }
        try p.run()
        // Both pipes are read at once, before waiting: a child that fills one (64 KiB) while the other
        // is being read would otherwise block for ever.
        let errors = Collected()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let o = stdoutFile == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        done.wait()
        let e = errors.data
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self))
    }

    /// What the stderr reader collected (written once, before the semaphore is signalled).
    private final class Collected: @unchecked Sendable {
        var data = Data()
    }

    /// `python3` from PATH.
    public static var python3: String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/python3"
    }
}

extension TestPaths {
    /// The `feedwatch` executable built beside the test bundle (`swift build` builds it; `swift test` too).
    public static var binary: String {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return runner.deletingLastPathComponent().appendingPathComponent("feedwatch").path
    }
}

/// Polls `condition` every 50 ms for up to `seconds`; the end-to-end tests wait for the daemon with it.
public func eventually(_ seconds: Double = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
}
