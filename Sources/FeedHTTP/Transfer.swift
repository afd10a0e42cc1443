import CCurl
import FeedCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One transfer: the easy handle, its options, and the state its C callbacks fill in. Created, driven
/// and freed on the fetcher's own thread; only `cancelled` is touched from elsewhere.
final class Transfer {
    let request: FetchRequest
    let easy: UnsafeMutableRawPointer
    let started = Uptime.seconds
    var body: [UInt8] = []
    var overflow = false
    var refusal: String?
    /// Each response's status line and headers, in order (redirect hops first).
    var responses: [(status: Int, headers: [(String, String)])] = []
    let cancelled = Atomic<Bool>(false)
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    /// CURLOPT_ERRORBUFFER: curl's own account of a failure ("SSL certificate problem: certificate has
    /// expired"), more precise than the error code's generic text. CURL_ERROR_SIZE is 256.
    let errorBuffer: UnsafeMutablePointer<CChar> = {
        let b = UnsafeMutablePointer<CChar>.allocate(capacity: 256)
        b.initialize(repeating: 0, count: 256)
        return b
    }()

    init?(_ request: FetchRequest, userAgent: String) {
        guard let easy = curl_easy_init() else { return nil }
        self.request = request
        self.easy = easy
        configure(userAgent: userAgent)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        curl_slist_free_all(resolveList)
        errorBuffer.deallocate()
    }

    private func configure(userAgent: String) {
        let ctx = Unmanaged.passUnretained(self).toOpaque()
        let r = request
        _ = ccurl_easy_setopt_string(easy, CURLOPT_URL, r.url)
        let https = r.url.lowercased().hasPrefix("https:")
        _ = ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, r.allowFileScheme ? "http,https,file" : "http,https")
        // Never https→http, never file:/gopher:/… on a redirect.
        _ = ccurl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https")
        if let post = r.postBody {
            _ = ccurl_easy_setopt_long(easy, CURLOPT_POST, 1)
            _ = ccurl_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(post.count))
            // COPYPOSTFIELDS: curl keeps its own copy, so the bytes need not outlive this call.
            _ = post.withUnsafeBytes {
                ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress))
            }
        }
        _ = ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, r.postBody == nil ? 1 : 0)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_MAXREDIRS, 5)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, r.connectTimeoutSeconds * 1000)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, r.totalTimeoutSeconds * 1000)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, r.lowSpeedBytesPerSecond)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, r.lowSpeedSeconds)
        if !r.discardsBody { _ = ccurl_easy_setopt_off(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(r.maxBodyBytes)) }
        _ = ccurl_easy_setopt_long(easy, CURLOPT_MAXLIFETIME_CONN, 3600)
        _ = ccurl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")  // every decoder curl has; capped below
        _ = ccurl_easy_setopt_string(easy, CURLOPT_PROXY, r.proxy ?? "")  // "" ignores environment proxies
        _ = ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, userAgent)
        if let ca = r.caFile { _ = ccurl_easy_setopt_string(easy, CURLOPT_CAINFO, ca) }
        if let credentials = r.credentials {
            _ = ccurl_easy_setopt_string(easy, CURLOPT_USERPWD, credentials)
            _ = ccurl_easy_setopt_long(easy, CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC (a macro Swift cannot import)
        }
        _ = ccurl_easy_setopt_write_function(easy, transferWrite)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, ctx)
        _ = ccurl_easy_setopt_header_function(easy, transferHeader)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, ctx)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_NOPROGRESS, 0)
        _ = ccurl_easy_setopt_xferinfo_function(easy, transferProgress)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_XFERINFODATA, ctx)
        _ = ccurl_easy_setopt_opensocket_function(easy, transferOpenSocket)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_OPENSOCKETDATA, ctx)
        _ = ccurl_easy_setopt_prereq_function(easy, transferPrereq)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_PREREQDATA, ctx)

        var list: UnsafeMutablePointer<curl_slist>?
        list = curl_slist_append(
            list,
            "Accept: application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, application/json;q=0.8, */*;q=0.5"
        )
        if let etag = r.etag, HeaderValue.isClean(etag) { list = curl_slist_append(list, "If-None-Match: \(etag)") }
        if let lm = r.lastModified, HeaderValue.isClean(lm) { list = curl_slist_append(list, "If-Modified-Since: \(lm)") }
        for h in r.headers where HeaderValue.isCleanConfigured(h) && h.contains(":") { list = curl_slist_append(list, h) }
        headerList = list
        _ = ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
        if !r.resolve.isEmpty {
            var rl: UnsafeMutablePointer<curl_slist>?
            for entry in r.resolve { rl = curl_slist_append(rl, entry) }
            resolveList = rl
            _ = ccurl_easy_setopt_slist(easy, CURLOPT_RESOLVE, rl)
        }
    }
}

/// The real body cap: counts decoded bytes, so compressed bombs stop here (libcurl-security.md).
private func transferWrite(
    _ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ nmemb: Int,
    _ userdata: UnsafeMutableRawPointer?
) -> Int {
    withTransfer(ptr, size * nmemb, userdata) { t, bytes in
        if t.request.discardsBody { return bytes.count }  // read and dropped: only the status counts
        if t.body.count + bytes.count > t.request.maxBodyBytes {
            t.overflow = true
            return 0
        }
        t.body.append(contentsOf: bytes)
        return bytes.count
    }
}

/// A callback's transfer (its userdata) and bytes; 0 (which stops the transfer) when either is missing.
private func withTransfer(
    _ ptr: UnsafeMutablePointer<CChar>?, _ count: Int, _ userdata: UnsafeMutableRawPointer?,
    _ body: (Transfer, UnsafeRawBufferPointer) -> Int
) -> Int {
    guard let ptr, let userdata else { return 0 }
    return body(Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue(), UnsafeRawBufferPointer(start: ptr, count: count))
}

private func transferHeader(
    _ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ nmemb: Int,
    _ userdata: UnsafeMutableRawPointer?
) -> Int {
    withTransfer(ptr, size * nmemb, userdata) { t, bytes in readHeaderLine(t, bytes) }
}

/// One response header line: a status line starts a response (redirects give several), a field joins it.
/// Only the fields `Transfer+Result` reads are kept, matched on bytes: a server sends a dozen others
/// (Server, Date, Vary…), and building strings for them cost more than the rest of a 304 in the client.
private func readHeaderLine(_ t: Transfer, _ bytes: UnsafeRawBufferPointer) -> Int {
    let n = bytes.count
    if n > 5, bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50, bytes[4] == 0x2F {  // "HTTP/"
        let line = String(decoding: bytes, as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 2)
        let status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        t.responses.append((status, []))
    } else if !t.responses.isEmpty, let colon = bytes.firstIndex(of: 0x3A),
        let name = KeptHeader.name(UnsafeRawBufferPointer(rebasing: bytes[..<colon]))
    {
        let value = String(decoding: bytes[(colon + 1)...], as: UTF8.self).trimming(" \t\r\n")
        t.responses[t.responses.count - 1].headers.append((name, value))
    }
    return n
}

/// The response fields the fetcher reads, by lower-case name.
enum KeptHeader {
    static let names = [
        "content-type", "etag", "last-modified", "cache-control", "retry-after", "location", "link",
    ]
    private static let bytes = names.map { Array($0.utf8) }

    /// The kept name `field` spells in any case, or nil.
    static func name(_ field: UnsafeRawBufferPointer) -> String? {
        for (k, candidate) in bytes.enumerated() where candidate.count == field.count {
            var same = true
            for i in 0..<field.count where lowered(field[i]) != candidate[i] {
                same = false
                break
            }
            if same { return names[k] }
        }
        return nil
    }

    private static func lowered(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
}

/// Aborts the transfer when the fetcher shuts down or the caller cancels.
private func transferProgress(
    _ clientp: UnsafeMutableRawPointer?, _ dltotal: curl_off_t, _ dlnow: curl_off_t,
    _ ultotal: curl_off_t, _ ulnow: curl_off_t
) -> Int32 {
    guard let clientp else { return 0 }
    let t = Unmanaged<Transfer>.fromOpaque(clientp).takeUnretainedValue()
    return t.cancelled.load(ordering: .relaxed) ? 1 : 0
}

/// The SSRF gate: runs after DNS resolution, on the very address curl is about to connect to.
private func transferOpenSocket(
    _ clientp: UnsafeMutableRawPointer?, _ purpose: curlsocktype,
    _ address: UnsafeMutablePointer<curl_sockaddr>?
) -> curl_socket_t {
    guard let clientp, let address else { return CURL_SOCKET_BAD }
    let t = Unmanaged<Transfer>.fromOpaque(clientp).takeUnretainedValue()
    let a = address.pointee
    // The address is read where curl keeps it: `addr` is declared as a 16-byte `struct sockaddr`, and a
    // copy of it (as `address.pointee.addr` makes) cuts an IPv6 address short; `addrlen` says how long
    // it really is.
    let raw = UnsafeRawPointer(address) + MemoryLayout<curl_sockaddr>.offset(of: \.addr)!
    var bytes: [UInt8] = []
    if a.family == AF_INET, Int(a.addrlen) >= MemoryLayout<sockaddr_in>.size {
        let sin = raw.loadUnaligned(as: sockaddr_in.self)
        bytes = withUnsafeBytes(of: sin.sin_addr) { Array($0) }
    } else if a.family == AF_INET6, Int(a.addrlen) >= MemoryLayout<sockaddr_in6>.size {
        let sin6 = raw.loadUnaligned(as: sockaddr_in6.self)
        bytes = withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }
    }
    if t.request.proxy == nil {
        guard !bytes.isEmpty else {
            t.refusal = "not an IP socket"
            return CURL_SOCKET_BAD
        }
        if let why = t.request.addressPolicy.refusal(for: bytes) {
            t.refusal = why
            return CURL_SOCKET_BAD
        }
    }
    return socket(a.family, a.socktype | Int32(SOCK_CLOEXEC.rawValue), a.protocol)
}

/// The second gate: before every request, including on a reused connection and after each redirect.
private func transferPrereq(
    _ clientp: UnsafeMutableRawPointer?, _ primaryIP: UnsafeMutablePointer<CChar>?,
    _ localIP: UnsafeMutablePointer<CChar>?, _ primaryPort: Int32, _ localPort: Int32
) -> Int32 {
    guard let clientp else { return 1 }
    let t = Unmanaged<Transfer>.fromOpaque(clientp).takeUnretainedValue()
    guard t.request.proxy == nil, let primaryIP else { return 0 }
    let ip = String(cString: primaryIP)
    if ip.isEmpty { return 0 }  // file:// has no peer
    if let why = t.request.addressPolicy.refusal(for: ip) {
        t.refusal = why
        return 1
    }
    return 0
}
