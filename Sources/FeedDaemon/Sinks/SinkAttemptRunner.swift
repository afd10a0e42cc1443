import FeedCore
import FeedHTTP
import FeedStore
import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// One attempt to hand one alert to one sink: a POST through the fetcher (webhook), or a program run
/// with the alert on its standard input (exec). Returns nil when delivered, else why not.
struct SinkAttemptRunner: Sendable {
    let sink: DaemonConfig.Sink
    let fetcher: Fetcher
    let config: DaemonConfig
    let newDirectory: String

    struct Failure: Error, Sendable {
        var message: String
        /// A time the receiver asked us not to come back before (Retry-After).
        var notBefore: Timestamp?
    }

    func attempt(_ job: SinkJob) async -> Failure? {
        switch sink.type {
        case .webhook: return await post(job.payload, key: job.alertID)
        case .exec:
            return await execute(
                job.payload,
                variables: [
                    "FEEDWATCH_KIND": "alert", "FEEDWATCH_ALERT_ID": job.alertID,
                    "FEEDWATCH_ALERT_FILE": newDirectory + "/" + job.fileName,
                    "FEEDWATCH_TOPICS": Self.topics(job.payload).joined(separator: ","),
                ])
        }
    }

    /// A digest: its document, under its own id (the webhook's Idempotency-Key; FEEDWATCH_DIGEST_ID).
    func attempt(_ digest: DigestJob) async -> Failure? {
        switch sink.type {
        case .webhook: return await post(digest.payload, key: digest.id)
        case .exec:
            return await execute(
                digest.payload,
                variables: [
                    "FEEDWATCH_KIND": "digest", "FEEDWATCH_DIGEST_ID": digest.id,
                    "FEEDWATCH_DIGEST_COUNT": String(digest.count),
                ])
        }
    }

    /// The document's exact bytes; a 2xx answer means delivered. The fetcher's address rules apply
    /// unless the sink allows private addresses; redirects are not followed.
    private func post(_ payload: [UInt8], key: String) async -> Failure? {
        guard let url = sink.url else { return Failure(message: "no url") }
        var request = FetchRequest(
            url: url, maxBodyBytes: 64 * 1024, connectTimeoutSeconds: min(10, sink.timeout),
            totalTimeoutSeconds: sink.timeout, lowSpeedSeconds: sink.timeout,
            addressPolicy: .allowing(sink.allowPrivate, remedy: AddressPolicy.sinkRemedy(sink.name)),
            headers: ["Content-Type: application/json", "Idempotency-Key: \(key)"] + sink.headers,
            proxy: config.fetch.proxy, caFile: config.fetch.caFile)
        request.postBody = payload
        request.discardsBody = true  // success is the status code, whatever the receiver answers with
        let result = await fetcher.fetch(request)
        switch result.outcome {
        case .body: return nil
        case .notModified: return Failure(message: "HTTP 304")
        case .gone: return Failure(message: "HTTP 410")
        case .rateLimited(let until, let status): return Failure(message: "HTTP \(status)", notBefore: until)
        case .failed(let e): return Failure(message: e.message, notBefore: e.retryAfter)
        }
    }

    /// The program, in a session (and process group) of its own, with the alert (or digest) on stdin and
    /// the FEEDWATCH_* `variables` set in a minimal environment (`environment(sink:)`); no descriptor
    /// beyond stdio is inherited (swift-subprocess closes the rest). Exit 0 means delivered. Past the
    /// timeout the whole process group is killed. Its standard error goes to the daemon's (the journal).
    private func execute(_ payload: [UInt8], variables: [String: String]) async -> Failure? {
        guard let program = sink.command.first else { return Failure(message: "no command") }
        let environment = Self.environment(sink: sink).merging(variables) { _, ours in ours }
        let (command, timeout) = (sink.command, sink.timeout)
        do {
            let status = try await withThrowingTaskGroup(of: TerminationStatus?.self) { group in
                group.addTask { try await Self.run(command, environment: environment, input: payload) }
                group.addTask {
                    try await Task.sleep(for: .seconds(timeout))
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()  // the run's teardown kills the process group on a timeout
                return first
            }
            switch status {
            case nil: return Failure(message: "timed out after \(DurationText.format(timeout)); process group killed")
            case .exited(0): return nil
            case .exited(let code): return Failure(message: "\(program) exited with status \(code)")
            case .signaled(let signal): return Failure(message: "\(program) was killed by signal \(signal)")
            }
        } catch {
            return Failure(message: "cannot run \(program): \(error)")
        }
    }

    /// What a sink program runs with: a few harmless variables of the daemon's (where to find programs,
    /// home, locale, zone, temporary files) and the sink's `env:`. Nothing else is inherited: the daemon's
    /// environment may hold PGPASSWORD, NOTIFY_SOCKET or WATCHDOG_* (issue 23, finding 8).
    static func environment(sink: DaemonConfig.Sink) -> [String: String] {
        inherited.merging(sink.env) { _, configured in configured }
    }

    /// The daemon's variables a program may have, read once.
    private static let inherited: [String: String] = {
        let own = ProcessInfo.processInfo.environment
        var out = ["PATH": own["PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/local/bin:/usr/bin:/bin"]
        for name in ["HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"] { if let v = own[name] { out[name] = v } }
        return out
    }()

    private static func run(
        _ command: [String], environment: [String: String], input: [UInt8]
    ) async throws
        -> TerminationStatus
    {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .seconds(1))]
        let program = command[0]
        let executable: Executable = program.contains("/") ? .path(FilePath(program)) : .name(program)
        var variables: [Environment.Key: String] = [:]
        for (key, value) in environment { if let k = Environment.Key(rawValue: key) { variables[k] = value } }
        // The alert reaches stdin as an unnamed file, not through a pipe: a program that exits without
        // reading it then costs nothing (swift-subprocess 1.0.2 traps on a descriptor its pipe writer
        // leaves open when the reader is gone).
        let stdin = try AlertInput.unnamedFile(input)
        return try await Subprocess.run(
            executable, arguments: Arguments(Array(command.dropFirst())), environment: .custom(variables),
            platformOptions: options, input: .fileDescriptor(stdin, closeAfterSpawningProcess: true), output: .discarded,
            error: .currentStandardError
        ).terminationStatus
    }

    /// The topic names of an alert file (`topics[].name`), for FEEDWATCH_TOPICS.
    static func topics(_ payload: [UInt8]) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
            let topics = object["topics"] as? [[String: Any]]
        else { return [] }
        return topics.compactMap { $0["name"] as? String }
    }
}

/// An alert's bytes in an unnamed temporary file (created, then unlinked at once), positioned at its
/// start, for a child's standard input. In `$TMPDIR`, else /tmp (private to the unit: PrivateTmp=yes).
enum AlertInput {
    static func unnamedFile(_ bytes: [UInt8]) throws -> FileDescriptor {
        let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((dir + "/feedwatch-alert-XXXXXX").utf8CString)
        let raw = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard raw >= 0 else { throw Errno(rawValue: errno) }
        _ = fcntl(raw, F_SETFD, FD_CLOEXEC)  // no other child may inherit it
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        let fd = FileDescriptor(rawValue: raw)
        do {
            _ = try fd.writeAll(bytes)
            _ = try fd.seek(offset: 0, from: FileDescriptor.SeekOrigin.start)
        } catch {
            try? fd.close()
            throw error
        }
        return fd
    }
}
