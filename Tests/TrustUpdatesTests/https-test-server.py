#!/usr/bin/env python3
"""HTTPS server on 127.0.0.1 for the `trust fetch` tests (standard library only).

Usage: https-test-server.py --cert CERT.pem --key KEY.pem --root DIR
Prints "port N" once it listens on an ephemeral port, then serves until killed or stdin closes.

  /files/NAME           DIR/NAME with an ETag (its SHA-256) and Last-Modified; 304 for a matching
                        If-None-Match (or, without one, an If-Modified-Since not older than the file)
  /slow/NAME            DIR/NAME's headers, then one byte every 0.3 s (a slow drip)
  /unannounced/NAME     DIR/NAME without Content-Length, the connection closed at its end
  /truncated/NAME       Content-Length of DIR/NAME, half of it, then the connection closed
  /redirect-http/NAME   302 to http://127.0.0.1:PORT/files/NAME
  /redirect-https/NAME  302 to https://127.0.0.1:PORT/files/NAME
  anything else         404
Every request appends "PATH\tIF-NONE-MATCH\tIF-MODIFIED-SINCE" to DIR/requests.log.
"""
import argparse
import email.utils
import hashlib
import http.server
import os
import ssl
import sys
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."

    def log_message(self, format, *args):
        pass

    def handle(self):
        # A client that gives up (slow drip, size cap) closes mid-body: that is the test, not an error.
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass

    def do_GET(self):
        with open(os.path.join(self.root, "requests.log"), "a") as log:
            log.write("%s\t%s\t%s\n" % (self.path, self.headers.get("If-None-Match", "-"), self.headers.get("If-Modified-Since", "-")))
        parts = self.path.split("/")
        if len(parts) != 3 or "/" in parts[2] or parts[2] in ("", ".", ".."):
            return self.status(404)
        kind, name = parts[1], parts[2]
        path = os.path.join(self.root, name)
        if kind in ("redirect-http", "redirect-https"):
            self.send_response(302)
            scheme = kind[len("redirect-"):]
            self.send_header("Location", "%s://127.0.0.1:%d/files/%s" % (scheme, self.server.server_address[1], name))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if not os.path.isfile(path):
            return self.status(404)
        with open(path, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()
        modified = int(os.path.getmtime(path))
        if kind == "files":
            if self.not_modified(etag, modified):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", email.utils.formatdate(modified, usegmt=True))
            self.end_headers()
            self.wfile.write(body)
        elif kind == "slow":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(0.3)
        elif kind == "unannounced":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
        elif kind == "truncated":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        else:
            self.status(404)

    def not_modified(self, etag, modified):
        match = self.headers.get("If-None-Match")
        if match is not None:
            return match == etag
        since = self.headers.get("If-Modified-Since")
        if since is not None:
            try:
                return modified <= email.utils.parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def status(self, code):
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--root", required=True)
    arguments = parser.parse_args()
    Handler.root = arguments.root
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(arguments.cert, arguments.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print("port %d" % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # The test closes stdin (or dies): then the server goes too.
    sys.stdin.read()


if __name__ == "__main__":
    main()
