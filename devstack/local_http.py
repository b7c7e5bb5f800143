"""The HTTP server the local services (eID, tax authority, payment gateway) run on."""

import socketserver
from http.server import ThreadingHTTPServer


class LocalHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def server_bind(self) -> None:
        # HTTPServer's own version resolves the host's FQDN, which stalls on machines without DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]
