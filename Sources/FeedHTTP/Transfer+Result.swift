import CCurl
import FeedCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

extension Transfer {
    /// Turns what curl reported into a typed result.
    func result(code: CURLcode) -> FetchResult {
        let seconds = Uptime.seconds - started
        let (finalURL, permanent) = redirects()
        func done(_ outcome: FetchResult.Outcome) -> FetchResult {
            FetchResult(url: request.url, outcome: outcome, permanentRedirect: permanent, seconds: seconds)
        }
        if code != CURLE_OK {
            return done(.failed(error(for: code)))
        }
        var status = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        let headers = responses.last?.headers ?? []
        func header(_ name: String) -> String? { headers.last { $0.0 == name }?.1 }
        if status == 0, request.url.lowercased().hasPrefix("file:") { status = 200 }  // file:// has no status
        switch status {
        case 304:
            if request.etag == nil, request.lastModified == nil {
                return done(
                    .failed(
                        FetchError(
                            .notModifiedWithoutValidators,
                            "HTTP 304 although no validators were sent; the next request is unconditional",
                            status: 304)))
            }
            return done(.notModified)
        case 410:
            return done(.gone)
        case 429:
            return done(.rateLimited(until: RetryAfter.until(header("retry-after"), default: 1800), status: 429))
        case 503 where header("retry-after") != nil:
            return done(.rateLimited(until: RetryAfter.until(header("retry-after"), default: 1800), status: 503))
        case 200..<300:
            let contentType = header("content-type")
            let etag = header("etag").flatMap { HeaderValue.isClean($0) ? $0 : nil }
            let lastModified = header("last-modified").flatMap { HeaderValue.isClean($0) ? $0 : nil }
            return done(
                .body(
                    FetchResult.Body(
                        bytes: body, status: status, finalURL: finalURL, contentType: contentType,
                        charset: contentType.flatMap(HeaderValue.charset), etag: etag, lastModified: lastModified,
                        maxAge: header("cache-control").flatMap(HeaderValue.maxAge), link: header("link"))))
        default:
            let retry = header("retry-after").map { RetryAfter.until($0, default: 0) }
            return done(.failed(FetchError(.http, "HTTP \(status)", status: status, retryAfter: retry)))
        }
    }

    /// The final URL, and the URL to keep polling when the chain began with permanent redirects.
    private func redirects() -> (String, String?) {
        var current = request.url
        var permanent: String?
        var stillPermanent = true
        for r in responses where (300..<400).contains(r.status) {
            guard let location = r.headers.last(where: { $0.0 == "location" })?.1 else { break }
            let next = URLResolver.resolve(location, against: current)
            if stillPermanent, r.status == 301 || r.status == 308 {
                permanent = next
            } else {
                stillPermanent = false
            }
            current = next
        }
        var effective: UnsafeMutablePointer<CChar>?
        _ = ccurl_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)
        return (effective.map { String(cString: $0) } ?? current, permanent)
    }

    private func error(for code: CURLcode) -> FetchError {
        let detail = String(cString: errorBuffer)
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        if let refusal { return FetchError(.refusedAddress, "refused by the address policy: \(refusal)") }
        if overflow { return FetchError(.tooLarge, "body larger than \(request.maxBodyBytes) bytes; transfer aborted") }
        if cancelled.load(ordering: .relaxed) { return FetchError(.cancelled, "cancelled (shutting down)") }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return FetchError(
                .timeout,
                "timed out (connect \(request.connectTimeoutSeconds) s, total \(request.totalTimeoutSeconds) s, or slower than \(request.lowSpeedBytesPerSecond) B/s for \(request.lowSpeedSeconds) s)"
            )
        case CURLE_TOO_MANY_REDIRECTS:
            return FetchError(.tooManyRedirects, "more than 5 redirects")
        case CURLE_UNSUPPORTED_PROTOCOL:
            return FetchError(.refusedScheme, "refused: only http and https are fetched (and never https→http on a redirect)")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return FetchError(.dns, text)
        case CURLE_COULDNT_CONNECT:
            return FetchError(.connect, text)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return FetchError(.tls, "TLS: \(text)")
        case CURLE_OUT_OF_MEMORY:
            // curl 7.88 reports a response header over its 100 KiB limit as out of memory; on a feed
            // fetch that is what it nearly always is.
            return FetchError(.protocolError, "response headers too large (over curl's 100 KiB limit), or out of memory")
        case CURLE_FILESIZE_EXCEEDED:
            return FetchError(.tooLarge, "Content-Length larger than \(request.maxBodyBytes) bytes")
        case CURLE_RECV_ERROR, CURLE_BAD_CONTENT_ENCODING, CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_PARTIAL_FILE,
            CURLE_GOT_NOTHING:
            return FetchError(.protocolError, text)
        default:
            return FetchError(.other, "\(text) (curl \(code.rawValue))")
        }
    }
}

/// Retry-After in seconds or as an HTTP date, clamped to [1 minute, 24 hours] so a hostile or broken
/// server can neither make us hammer it nor silence a feed for years (BI-32).
enum RetryAfter {
    static let bounds = 60...86_400

    static func until(_ value: String?, default fallback: Int) -> Timestamp {
        let now = Int64(time(nil))
        var delay = fallback
        if let v = value?.trimming(" \t") {
            if let s = Int(v) {
                delay = s
            } else if let t = DateParser.parse(v) {
                delay = Int(clamping: t.secondsSinceEpoch - now)
            }
        }
        let clamped = min(max(delay, bounds.lowerBound), bounds.upperBound)
        return Timestamp(secondsSinceEpoch: now + Int64(clamped))
    }
}

public enum HeaderValue {
    /// The longest header line a configuration may set (`Name: value`): a bearer JWT or a signed token
    /// runs to a few kilobytes; servers commonly accept 8 KiB per line.
    public static let configuredLimit = 8192

    /// A value from a server that we may echo back in a request header: no CR, LF or NUL, bounded length.
    static func isClean(_ v: String) -> Bool {
        !v.isEmpty && v.utf8.count <= 256 && !v.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 })
    }

    /// A header line from the configuration (`check` refuses one longer than `configuredLimit`, so none is
    /// dropped here unless the configuration was bypassed): no CR, LF or NUL.
    static func isCleanConfigured(_ line: String) -> Bool {
        !line.isEmpty && line.utf8.count <= configuredLimit
            && !line.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 })
    }

    /// `text/xml; charset="windows-1256"` → `windows-1256`.
    public static func charset(_ contentType: String) -> String? {
        parameter("charset", in: contentType.split(separator: ";").dropFirst())
    }

    /// `max-age=600` from Cache-Control.
    static func maxAge(_ cacheControl: String) -> Int? {
        parameter("max-age", in: cacheControl.split(separator: ",")[...]).flatMap { Int($0) }
    }

    private static func parameter(_ name: String, in parts: ArraySlice<Substring>) -> String? {
        for part in parts {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimming(" \t").lowercased() == name else { continue }
            let v = kv[1].trimming(" \t\"'")
            return v.isEmpty ? nil : v
        }
        return nil
    }
}
