public import FeedCore
import HTTPTypes
import Hummingbird
public import Logging
public import ServiceLifecycle

/// The HTTP listener of `run` (issue 25) on Hummingbird (SwiftNIO's HTTP/1.1 parser, not ours): a few
/// routes whose answers the daemon gives. `GET /healthz` and `GET /metrics` for monitoring, the WebSub
/// callbacks under `/websub/<token>`, and the reader page (issue 26: `/`, `/alerts/…`, `/feeds`,
/// `/api/alerts`, `/static/…`). Everything else is 404. With `authorize`, every route but the WebSub
/// callbacks (hubs sign their requests) asks for HTTP basic authentication. It is one `Service` of the
/// daemon's group: it starts with the others and stops on SIGTERM.
public enum HTTPListener {
    /// What the routes answer.
    public struct Routes: Sendable {
        /// The `status --json` object and whether the daemon is healthy (200, else 503).
        public var health: @Sendable () async -> (healthy: Bool, json: String)
        /// The Prometheus text; nil when metrics go elsewhere (404).
        public var metrics: @Sendable () async -> String?
        /// A WebSub hub's request to a callback; nil when WebSub is off (404).
        public var websub: (@Sendable (Callback) async -> Answer)?
        /// The reader page's requests (any method; it answers 405 itself); nil: no page (404).
        public var page: (@Sendable (PageRequest) async -> PageResponse)?
        /// Whether an `Authorization` header value (nil: none sent) may use the listener; nil: no
        /// authentication.
        public var authorize: (@Sendable (String?) -> Bool)?

        public init(
            health: @escaping @Sendable () async -> (healthy: Bool, json: String),
            metrics: @escaping @Sendable () async -> String?,
            websub: (@Sendable (Callback) async -> Answer)? = nil,
            page: (@Sendable (PageRequest) async -> PageResponse)? = nil,
            authorize: (@Sendable (String?) -> Bool)? = nil
        ) {
            self.health = health
            self.metrics = metrics
            self.websub = websub
            self.page = page
            self.authorize = authorize
        }
    }

    /// A form the page accepts: an "acknowledge all shown" of 500 ids fits many times over.
    public static let maxFormBody = 1 << 20

    /// The reader page's paths.
    static let pagePaths = ["/", "alerts/:id", "alerts/:id/ack", "feeds", "api/alerts", "static/:file"]

    /// A request to `/websub/<token>`: a verification of intent (GET) or a content distribution (POST).
    public struct Callback: Sendable {
        public var method: String
        public var token: String
        /// The query's parameters, decoded (`hub.mode`, `hub.topic`, `hub.challenge`, `hub.lease_seconds`).
        public var query: [String: String]
        /// Header fields by lower-case name (`x-hub-signature`, `link`, `content-type`).
        public var headers: [String: String]
        public var body: [UInt8]

        public init(method: String, token: String, query: [String: String], headers: [String: String], body: [UInt8]) {
            self.method = method
            self.token = token
            self.query = query
            self.headers = headers
            self.body = body
        }
    }

    public struct Answer: Sendable, Equatable {
        public var status: Int
        public var body: String
        public init(status: Int, body: String = "") {
            self.status = status
            self.body = body
        }
    }

    /// Content a hub may push at once: the fetcher's own cap for a feed document.
    public static let maxBody = 16 << 20

    /// The listener as a service, bound to `host:port`.
    public static func service(host: String, port: Int, routes: Routes, logger: Logger) -> some Service {
        let router = Router()
        if let authorize = routes.authorize { router.add(middleware: BasicAuthentication(authorize: authorize)) }
        router.get("healthz") { _, _ -> Response in
            let (healthy, json) = await routes.health()
            return Self.response(healthy ? .ok : .serviceUnavailable, json + "\n", type: "application/json")
        }
        router.get("metrics") { _, _ -> Response in
            guard let text = await routes.metrics() else {
                return Self.response(.notFound, "metrics go to another backend\n", type: "text/plain; charset=utf-8")
            }
            return Self.response(.ok, text, type: "text/plain; version=0.0.4; charset=utf-8")
        }
        if let websub = routes.websub {
            for method in [HTTPRequest.Method.get, .post] {
                router.on("websub/:token", method: method) { request, context -> Response in
                    let token = context.parameters.get("token") ?? ""
                    var query: [String: String] = [:]
                    for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
                    var headers: [String: String] = [:]
                    for field in request.headers { headers[field.name.canonicalName] = field.value }
                    // Content without a signature is refused before its body is read.
                    if method == .post, headers["x-hub-signature"] == nil {
                        return Self.response(.forbidden, "no X-Hub-Signature\n", type: "text/plain; charset=utf-8")
                    }
                    let body = method == .post ? try await request.body.collect(upTo: maxBody) : ByteBuffer()
                    let answer = await websub(
                        Callback(
                            method: method.rawValue, token: token, query: query, headers: headers,
                            body: Array(body.readableBytesView)))
                    return Self.response(
                        HTTPResponse.Status(code: answer.status), answer.body, type: "text/plain; charset=utf-8")
                }
            }
        }
        if let page = routes.page {
            for path in pagePaths {
                for method in [HTTPRequest.Method.get, .head, .post] {
                    router.on(RouterPath(path), method: method) { request, _ -> Response in
                        var headers: [String: String] = [:]
                        for field in request.headers { headers[field.name.canonicalName] = field.value }
                        let body = method == .post ? try await request.body.collect(upTo: maxFormBody) : ByteBuffer()
                        let answer = await page(
                            PageRequest(
                                method: method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                                headers: headers, body: Array(body.readableBytesView)))
                        var fields = HTTPFields()
                        for (name, value) in answer.headers {
                            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
                        }
                        return Response(
                            status: HTTPResponse.Status(code: answer.status), headers: fields,
                            body: method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
                    }
                }
            }
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "feedwatch"),
            logger: logger)
        return Named(inner: app, address: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
    }

    /// HTTP basic authentication in front of every route but the WebSub callbacks.
    struct BasicAuthentication<Context: RequestContext>: RouterMiddleware {
        let authorize: @Sendable (String?) -> Bool

        func handle(
            _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
        ) async throws -> Response {
            if request.uri.path.hasPrefix("/websub/") || authorize(request.headers[.authorization]) {
                return try await next(request, context)
            }
            var response = HTTPListener.response(.unauthorized, "authentication required\n", type: "text/plain; charset=utf-8")
            response.headers[.wwwAuthenticate] = #"Basic realm="feedwatch", charset="UTF-8""#
            return response
        }
    }

    /// The listener's failure (an address in use, not permitted), naming the address.
    public struct Failure: Error, CustomStringConvertible {
        public var address: String
        public var cause: String
        public var description: String { "cannot listen on \(address) (http.listen): \(cause)" }
    }

    /// Runs the application; a failure says which address it was for.
    struct Named<Inner: Service>: Service {
        let inner: Inner
        let address: String

        func run() async throws {
            do {
                try await inner.run()
            } catch {
                throw Failure(address: address, cause: "\(error)")
            }
        }
    }

    static func response(_ status: HTTPResponse.Status, _ text: String, type: String) -> Response {
        Response(
            status: status, headers: [.contentType: type, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
