"""The threaded HTTP server both local servers run on."""

from __future__ import annotations

import socket
from http.server import ThreadingHTTPServer
from typing import Any


class LocalThreadingServer(ThreadingHTTPServer):
    daemon_threads = True
    # The listen backlog: socketserver's 5 reset or refused about one client in three when
    # 50 connected at once (a platform's burst, a team opening its links). The kernel caps
    # it at net.core.somaxconn (listen(2)).
    request_queue_size = socket.SOMAXCONN

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a browser closing a kept-alive connection) is not the
        server's error: socketserver would print its traceback to stderr from the request's
        thread, interleaved with the access log another thread is writing."""
        import sys

        if isinstance(sys.exception(), ConnectionError):
            return
        super().handle_error(request, client_address)
