import Foundation
import Subprocess
import SystemPackage

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
        // NSTemporaryDirectory() ends in "/": no "//" in paths that messages print folded.
        var tmp = NSTemporaryDirectory()
        while tmp.count > 1, tmp.hasSuffix("/") { tmp.removeLast() }
        let path = tmp + "/\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Runs a program to completion and captures its output, through swift-subprocess (which reads both
/// pipes at once: a child filling one while the other is read cannot block).
public enum Program: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Output beyond this is an error of the test, not something to wait for.
    static let limit = 256 << 20

    /// `stdinFile` (or /dev/null) is the child's standard input; `stdoutFile`, when given, receives its
    /// standard output instead of `stdout`. `environment` is added to this process's own.
    public static func run(
        _ executable: String, _ arguments: [String], cwd: String? = nil,
        stdoutFile: String? = nil, stdinFile: String? = nil,
        environment: [String: String] = [:]
    ) async throws -> Result {
        let input = try FileDescriptor.open(FilePath(stdinFile ?? "/dev/null"), .readOnly)
        let env = Environment.inherit.updating(
            Dictionary(
                uniqueKeysWithValues: environment.compactMap { k, v in Environment.Key(rawValue: k).map { ($0, Optional(v)) } }))
        let cwdPath = cwd.map { FilePath($0) }
        if let stdoutFile {
            let output = try FileDescriptor.open(
                FilePath(stdoutFile), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
            let r = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(arguments), environment: env, workingDirectory: cwdPath,
                input: .fileDescriptor(input, closeAfterSpawningProcess: true),
                output: .fileDescriptor(output, closeAfterSpawningProcess: true), error: .string(limit: limit))
            return Result(status: code(r.terminationStatus), stdout: "", stderr: r.standardError)
        }
        let r = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), environment: env, workingDirectory: cwdPath,
            input: .fileDescriptor(input, closeAfterSpawningProcess: true),
            output: .string(limit: limit), error: .string(limit: limit))
        return Result(status: code(r.terminationStatus), stdout: r.standardOutput, stderr: r.standardError)
    }

    /// The exit status, or 128 + the signal as a shell reports it.
    static func code(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
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

/// `eventually` for conditions that run a program (`Program.run` is async).
public func eventually(_ seconds: Double = 20, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return await condition()
}
