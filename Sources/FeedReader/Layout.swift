import FeedCore

/// The page around each view: language and direction from the labels, the navigation, the key help,
/// and the headers that keep feed text inert.
enum Layout {
    /// No inline script or style runs (so a `<script>` that escaped escaping still could not), nothing
    /// loads from elsewhere, forms post only here, and no other site may frame the page.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    static func page(
        _ labels: Labels, title: String, section: String, path: String, body: String, status: Int = 200,
        setLanguage: Bool
    ) -> PageResponse {
        let nav = [("/", labels.alerts, "alerts"), ("/feeds", labels.feeds, "feeds")].map { href, name, key in
            "<a href=\"\(href)\"\(key == section ? " aria-current=\"page\"" : "")>\(HTML.text(name))</a>"
        }.joined(separator: " ")
        let other = labels.code == "ar" ? Labels.english : Labels.arabic
        let switcher =
            "<a class=\"lang\" href=\"\(HTML.text(path + "?lang=" + other.code))\" lang=\"\(other.code)\" hreflang=\"\(other.code)\">\(HTML.text(other.languageName))</a>"
        let keys = labels.keyHelp.map { "<dt><kbd>\(HTML.text($0.key))</kbd></dt><dd>\(HTML.text($0.what))</dd>" }.joined()
        let html = """
            <!DOCTYPE html>
            <html lang="\(labels.code)" dir="\(labels.rightToLeft ? "rtl" : "ltr")">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.text(title)) · feedwatch</title>
            <link rel="stylesheet" href="/static/reader.css"><script src="/static/reader.js" defer></script></head>
            <body><header><span class="brand">feedwatch</span><nav>\(nav)</nav>\(switcher)</header>
            <main>
            \(body)
            </main>
            <footer><details id="help"><summary>\(HTML.text(labels.keys)) (<kbd>?</kbd>)</summary><dl>\(keys)</dl></details></footer>
            </body></html>

            """
        var headers = htmlHeaders
        if setLanguage { headers.append(("Set-Cookie", "lang=\(labels.code); Path=/; Max-Age=31536000; SameSite=Lax")) }
        return PageResponse(status: status, headers: headers, body: Array(html.utf8))
    }

    static let htmlHeaders: [(String, String)] = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Security-Policy", contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        ("Cache-Control", "no-store"),
    ]

    /// A short page saying what went wrong (a stale form, an unknown alert, a filter that cannot be used).
    static func problem(_ labels: Labels, status: Int, _ message: String, setLanguage: Bool) -> PageResponse {
        page(
            labels, title: message, section: "", path: "/",
            body: "<p class=\"problem\">\(HTML.text(message))</p><p><a href=\"/\">\(HTML.text(labels.back))</a></p>",
            status: status, setLanguage: setLanguage)
    }
}
