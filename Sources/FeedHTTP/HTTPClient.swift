import CCurl
import FeedCore
#if canImport(Glibc)
import Glibc
#endif

/// Single-transfer HTTP(S) client over libcurl's easy interface, with the hardening of
/// reliability.md §2 (protocols, redirect limits, timeouts, body cap counted on decoded bytes, no
/// environment proxies, no signals). Each transfer runs on its own thread, never on Swift's cooperative pool.
public final class HTTPClient: Sendable {
    public static let shared = HTTPClient()

    public static let userAgent = "feedwatch/0.1 (+https://github.com/feedwatch/feedwatch)"

    private init() {
        _ = CurlGlobal.ready
    }

    public func fetch(_ request: FetchRequest) async -> FetchResult {
        await withCheckedContinuation { (continuation: CheckedContinuation<FetchResult, Never>) in
            let job = BlockingJob { continuation.resume(returning: HTTPClient.perform(request)) }
            job.start()
        }
    }

    /// Runs one transfer to completion on the calling thread.
    static func perform(_ request: FetchRequest) -> FetchResult {
        guard let easy = curl_easy_init() else {
            return FetchResult(url: request.url, outcome: .failed(FetchError("libcurl could not create a handle")))
        }
        defer { curl_easy_cleanup(easy) }
        let box = TransferBox(limit: request.maxBodyBytes)
        let ctx = Unmanaged.passUnretained(box).toOpaque()
        var headers: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headers) }

        _ = ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url)
        _ = ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        // Never https→http on a redirect.
        _ = ccurl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR,
                                     request.url.lowercased().hasPrefix("https:") ? "https" : "http,https")
        _ = ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_MAXREDIRS, 5)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeoutSeconds * 1000)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, request.totalTimeoutSeconds * 1000)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, request.lowSpeedBytesPerSecond)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, request.lowSpeedSeconds)
        _ = ccurl_easy_setopt_off(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxBodyBytes))
        _ = ccurl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
        _ = ccurl_easy_setopt_string(easy, CURLOPT_PROXY, "")
        _ = ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, userAgent)
        _ = ccurl_easy_setopt_write_function(easy, curlWrite)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, ctx)
        headers = curl_slist_append(headers, "Accept: application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5")
        if let etag = request.etag, HeaderValue.isClean(etag) { headers = curl_slist_append(headers, "If-None-Match: \(etag)") }
        if let lm = request.lastModified, HeaderValue.isClean(lm) { headers = curl_slist_append(headers, "If-Modified-Since: \(lm)") }
        _ = ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headers)
        _ = ccurl_easy_setopt_header_function(easy, curlHeader)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, ctx)

        let code = curl_easy_perform(easy)
        var status = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafeMutablePointer<CChar>?
        _ = ccurl_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)
        let finalURL = effective.map { String(cString: $0) } ?? request.url

        if code != CURLE_OK {
            if box.overflow {
                return FetchResult(url: request.url, outcome: .failed(FetchError("body larger than \(request.maxBodyBytes) bytes; aborted")))
            }
            let text = String(cString: curl_easy_strerror(code))
            return FetchResult(url: request.url, outcome: .failed(FetchError("\(text) (curl \(code.rawValue))")))
        }
        if status == 304 { return FetchResult(url: request.url, outcome: .notModified) }
        guard (200..<300).contains(status) else {
            return FetchResult(url: request.url, outcome: .failed(FetchError("HTTP \(status)", status: status)))
        }
        let contentType = box.header("content-type")
        let body = FetchResult.Body(bytes: box.body, status: status, finalURL: finalURL, contentType: contentType,
                                    charset: contentType.flatMap(HeaderValue.charset), etag: box.header("etag"),
                                    lastModified: box.header("last-modified"))
        return FetchResult(url: request.url, outcome: .body(body))
    }
}

/// Per-transfer state reached from libcurl's C callbacks through an unretained pointer.
final class TransferBox {
    let limit: Int
    var body: [UInt8] = []
    var overflow = false
    /// Headers of the last response (a redirect's headers are replaced by the next response's).
    var headers: [(String, String)] = []

    init(limit: Int) { self.limit = limit }

    func header(_ name: String) -> String? { headers.last { $0.0 == name }?.1 }
}

/// The real body cap: counts decoded bytes, so compressed bombs stop here (libcurl-security.md).
private func curlWrite(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ nmemb: Int,
                       _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let ptr, let userdata else { return 0 }
    let box = Unmanaged<TransferBox>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * nmemb
    if box.body.count + n > box.limit { box.overflow = true; return 0 }
    box.body.append(contentsOf: UnsafeRawBufferPointer(start: ptr, count: n))
    return n
}

private func curlHeader(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ nmemb: Int,
                        _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let ptr, let userdata else { return 0 }
    let box = Unmanaged<TransferBox>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * nmemb
    let line = String(decoding: UnsafeRawBufferPointer(start: ptr, count: n), as: UTF8.self)
    if line.hasPrefix("HTTP/") { box.headers.removeAll() }
    if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t\r\n")
        box.headers.append((name, value))
    }
    return n
}

enum CurlGlobal {
    static let ready: Bool = {
        // OpenSSL can raise SIGPIPE on a closed connection; with NOSIGNAL the application must ignore it.
        signal(SIGPIPE, SIG_IGN)
        return curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()
}

enum HeaderValue {
    /// A value from a server that we may echo back in a request header: no CR, LF or NUL, bounded length.
    static func isClean(_ v: String) -> Bool {
        v.utf8.count <= 256 && !v.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 })
    }

    /// `text/xml; charset="windows-1256"` → `windows-1256`.
    static func charset(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: " \t").lowercased() == "charset" else { continue }
            let v = kv[1].trimmingCharacters(in: " \t\"'")
            return v.isEmpty ? nil : v
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s.removeFirst() }
        while let l = s.last, chars.contains(l) { s.removeLast() }
        return String(s)
    }
}
