import CCurl
import DaemonSupport
import SystemCalls
import SystemPackage

/// One HTTPS GET into an open file, through libcurl with OpenSSL: HTTPS only (redirects too), the system CA
/// store or a pinned CA file, a size cap enforced while the body arrives, timeouts for the connect, a slow
/// drip and the whole transfer, and a conditional GET with the validators of the last download.
///
/// Proxies: with `proxy = .environment`, libcurl's usual `https_proxy`/`no_proxy` variables apply (a
/// systemd unit has none unless given with `Environment=`); `.none` never uses one.
public struct HTTPSDownload: Sendable {
    public struct Limits: Sendable, Hashable {
        /// The most body bytes accepted; a larger Content-Length is refused before the body starts.
        public var maximumBytes: Int
        public var connectTimeout: Duration = .seconds(15)
        /// A transfer slower than `lowSpeedBytesPerSecond` for `lowSpeedTime` is abandoned (a slow drip).
        public var lowSpeedBytesPerSecond = 1_024
        public var lowSpeedTime: Duration = .seconds(30)
        /// The whole transfer, connect and redirects included.
        public var totalTimeout: Duration = .seconds(30 * 60)
        public var maximumRedirects = 3

        public init(maximumBytes: Int) {
            self.maximumBytes = maximumBytes
        }
    }

    public enum Proxy: Sendable, Hashable {
        case environment, none
    }

    /// A response's `ETag` and `Last-Modified`, sent back as `If-None-Match` and `If-Modified-Since`.
    public struct Validators: Sendable, Hashable {
        public var etag: String?
        public var lastModified: String?

        public init(etag: String? = nil, lastModified: String? = nil) {
            self.etag = etag
            self.lastModified = lastModified
        }
    }

    public enum Response: Sendable, Hashable {
        /// 200: `bytes` of body written, with the response's validators.
        case body(bytes: Int, validators: Validators)
        /// 304: what the validators named is still current.
        case notModified
    }

    public var url: String
    /// PEM file of the only CAs trusted for the server; nil = the system CA store.
    public var caFile: String?
    public var limits: Limits
    public var proxy: Proxy = .environment

    public init(url: String, caFile: String? = nil, limits: Limits) {
        self.url = url
        self.caFile = caFile
        self.limits = limits
    }

    /// GETs `url` and writes the body to `output` (`outputPath` names it in errors). With `validators`, the GET
    /// is conditional. Throws on anything but a complete 200 or a 304.
    public func get(into output: FileDescriptor, outputPath: String, ifChangedFrom validators: Validators? = nil) throws(TrustUpdateError)
        -> Response
    {
        if let problem = TrustFetchState.httpsURLProblem(url) { throw TrustUpdateError(.badURL, "\(url) \(problem)") }
        // The error buffer and the header list outlive the handle (defers run in reverse).
        let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        defer { errorText.deallocate() }
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headers: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headers) }
        for (name, value) in [("If-None-Match", validators?.etag), ("If-Modified-Since", validators?.lastModified)] {
            if let value { headers = curl_slist_append(headers, "\(name): \(value)") }
        }
        guard Self.libraryReady, let handle = curl_easy_init() else { throw TrustUpdateError(.failed, "libcurl could not be initialised") }
        defer { curl_easy_cleanup(handle) }
        let sink = BodySink(output: output, path: outputPath, limit: limits.maximumBytes)
        try configure(handle, errorText: errorText, headers: headers, sink: sink)

        let result = withExtendedLifetime(sink) { curl_easy_perform(handle) }
        let status = Self.responseCode(handle)
        guard result == CURLE_OK else {
            throw failure(result, status: status, sink: sink, message: String(cString: errorText))
        }
        switch status {
        case 304 where validators != nil:
            return .notModified
        case 200:
            var announced: curl_off_t = -1
            if gatecheck_curl_getinfo_off(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced) == CURLE_OK, announced >= 0,
                announced != sink.received
            {
                throw TrustUpdateError(.truncated, "\(url): \(sink.received) of \(announced) bytes arrived")
            }
            let found = Validators(etag: Self.header(handle, "ETag"), lastModified: Self.header(handle, "Last-Modified"))
            return .body(bytes: sink.received, validators: found)
        default:
            throw TrustUpdateError(.httpStatus, "\(url): HTTP status \(status), expected 200 or 304")
        }
    }

    // MARK: libcurl

    /// curl_global_init once per process, before the first handle (it is not safe to race).
    private static let libraryReady: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    private func configure(
        _ handle: UnsafeMutableRawPointer, errorText: UnsafeMutablePointer<CChar>, headers: UnsafeMutablePointer<curl_slist>?, sink: BodySink
    ) throws(TrustUpdateError) {
        func milliseconds(_ duration: Duration) -> Int { max(1, Int(duration.clampedNanoseconds / 1_000_000)) }
        var results: [(String, CURLcode)] = [
            ("ERRORBUFFER", gatecheck_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorText)),
            ("URL", gatecheck_curl_setopt_string(handle, CURLOPT_URL, url)),
            // HTTPS only, for the first request and every redirect: a redirect to http:// fails.
            ("PROTOCOLS_STR", gatecheck_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "https")),
            ("REDIRECT_PROTOCOLS_STR", gatecheck_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "https")),
            ("FOLLOWLOCATION", gatecheck_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)),
            ("MAXREDIRS", gatecheck_curl_setopt_long(handle, CURLOPT_MAXREDIRS, limits.maximumRedirects)),
            ("SSL_VERIFYPEER", gatecheck_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)),
            ("SSL_VERIFYHOST", gatecheck_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)),
            // Int(): curl 7.88 (bookworm) imports the constant as Int, curl 8 (trixie) as Int32.
            ("SSLVERSION", gatecheck_curl_setopt_long(handle, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))),
            // No signals: timeouts must not longjmp out of a resolver in a threaded process.
            ("NOSIGNAL", gatecheck_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)),
            ("CONNECTTIMEOUT_MS", gatecheck_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(limits.connectTimeout))),
            ("TIMEOUT_MS", gatecheck_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(limits.totalTimeout))),
            ("LOW_SPEED_LIMIT", gatecheck_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, limits.lowSpeedBytesPerSecond)),
            ("LOW_SPEED_TIME", gatecheck_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(limits.lowSpeedTime.components.seconds)))),
            // A Content-Length over the cap is refused before the body; the write callback enforces it without one.
            ("MAXFILESIZE_LARGE", gatecheck_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limits.maximumBytes))),
            // >= 400 ends the transfer before any error body is written.
            ("FAILONERROR", gatecheck_curl_setopt_long(handle, CURLOPT_FAILONERROR, 1)),
            ("USERAGENT", gatecheck_curl_setopt_string(handle, CURLOPT_USERAGENT, "gatecheck/\(GateCheckVersion.current)")),
            ("HTTPHEADER", gatecheck_curl_setopt_list(handle, CURLOPT_HTTPHEADER, headers)),
            ("WRITEDATA", gatecheck_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())),
            ("WRITEFUNCTION", gatecheck_curl_setopt_write_function(handle) { data, size, count, context in
                guard let context else { return 0 }
                return Unmanaged<BodySink>.fromOpaque(context).takeUnretainedValue().write(data, size * count)
            }),
        ]
        if let caFile {
            // The pinned file alone: no CA folder besides it.
            results.append(("CAINFO", gatecheck_curl_setopt_string(handle, CURLOPT_CAINFO, caFile)))
            results.append(("CAPATH", gatecheck_curl_setopt_string(handle, CURLOPT_CAPATH, nil)))
        }
        if proxy == .none { results.append(("PROXY", gatecheck_curl_setopt_string(handle, CURLOPT_PROXY, ""))) }
        // An option this libcurl does not know (too old for PROTOCOLS_STR, say) must stop the fetch, not be skipped.
        if let (name, code) = results.first(where: { $0.1 != CURLE_OK }) {
            throw TrustUpdateError(.failed, "libcurl refused CURLOPT_\(name): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    private func failure(_ result: CURLcode, status: Int, sink: BodySink, message: String) -> TrustUpdateError {
        let detail = "\(url): \(message.isEmpty ? String(cString: curl_easy_strerror(result)) : message)"
        switch result {
        case CURLE_OPERATION_TIMEDOUT:
            return TrustUpdateError(.timeout, detail)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_GOT_NOTHING, CURLE_SEND_ERROR,
            CURLE_RECV_ERROR:
            return TrustUpdateError(.connect, detail)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_CIPHER:
            return TrustUpdateError(.tls, detail)
        case CURLE_UNSUPPORTED_PROTOCOL:
            // The first URL was checked to be https://, so only a redirect can lead here.
            return TrustUpdateError(.insecureRedirect, detail)
        case CURLE_TOO_MANY_REDIRECTS:
            return TrustUpdateError(.tooManyRedirects, detail)
        case CURLE_HTTP_RETURNED_ERROR:
            return TrustUpdateError(.httpStatus, "\(url): HTTP status \(status), expected 200 or 304")
        case CURLE_FILESIZE_EXCEEDED:
            return TrustUpdateError(.tooLarge, "\(url): the body is larger than \(limits.maximumBytes) bytes")
        case CURLE_PARTIAL_FILE:
            return TrustUpdateError(.truncated, detail)
        case CURLE_WRITE_ERROR where sink.overLimit:
            return TrustUpdateError(.tooLarge, "\(url): the body grew beyond \(limits.maximumBytes) bytes")
        case CURLE_WRITE_ERROR where sink.writeError != nil:
            return TrustUpdateError(.systemCall, sink.writeError!.description)
        default:
            return TrustUpdateError(.failed, detail)
        }
    }

    private static func responseCode(_ handle: UnsafeMutableRawPointer) -> Int {
        var code = 0
        return gatecheck_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK ? code : 0
    }

    /// A header of the last response as the state file can keep it; nil when absent or unfit to send back.
    private static func header(_ handle: UnsafeMutableRawPointer, _ name: String) -> String? {
        guard let value = gatecheck_curl_header(handle, name) else { return nil }
        return TrustFetchState.storable(String(cString: value))
    }
}

/// Where libcurl's write callback puts the body: the output file, counting against the cap.
private final class BodySink {
    let output: FileDescriptor
    let path: String
    let limit: Int
    private(set) var received = 0
    private(set) var overLimit = false
    private(set) var writeError: SystemCallError?

    init(output: FileDescriptor, path: String, limit: Int) {
        self.output = output
        self.path = path
        self.limit = limit
    }

    /// Returns `count` to go on; anything else makes libcurl abort the transfer with CURLE_WRITE_ERROR.
    func write(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard count > 0 else { return 0 }
        guard let data, received <= limit - count else {
            overLimit = true
            return 0
        }
        do {
            try Files.writeAll(output, path, UnsafeRawBufferPointer(start: data, count: count))
        } catch {
            writeError = error
            return 0
        }
        received += count
        return count
    }
}
