"""moto's server in a thread, with DynamoDB requests serialised.

Real DynamoDB evaluates each conditional write and transaction atomically; moto's
in-memory tables do not lock, so concurrent requests could both pass a condition. One
lock around DynamoDB requests restores the atomicity the exactly-once design relies on.
Only DynamoDB is serialised: Step Functions calls Lambda, which calls DynamoDB, so a
global lock would deadlock. In front of moto too: the SES account calls it lacks
(ses_account.py), and subscriptions that wait for confirmation (sns_confirmation.py).
"""

from __future__ import annotations

import threading
from typing import Any

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from socialcare_cli.local.ses_account import SesAccount, SesAccountApi


class _SerialiseDynamoDB:
    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            with self._lock:
                # Materialise the body inside the lock: the work happens while iterating.
                return list(self._app(environ, start_response))
        return self._app(environ, start_response)


class SerialisedMotoServer(ThreadedMotoServer):
    def __init__(self, port: int, ses_account: SesAccount) -> None:
        from socialcare_cli.local import (
            fast_queries,
            fast_transactions,
            moto_warmup,
            sns_confirmation,
            stopped_executions,
        )

        fast_transactions.install()
        fast_queries.install()
        moto_warmup.install()
        stopped_executions.install()
        sns_confirmation.install()
        self._ses_account = ses_account
        super().__init__(ip_address="127.0.0.1", port=port, verbose=False)

    def _server_entry(self) -> None:
        moto = DomainDispatcherApplication(create_backend_app)
        app = SesAccountApi(_SerialiseDynamoDB(moto), self._ses_account)
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()
