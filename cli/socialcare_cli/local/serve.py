"""`socialcare local`: the local stack in the foreground until Ctrl-C."""

from __future__ import annotations

import socket
import threading

from socialcare_cli.errors import CommandFailed
from socialcare_cli.local.http import LocalApiServer
from socialcare_cli.local.stack import LocalStack


def _free(port: int, option: str) -> None:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise CommandFailed(
                f"port {port} is in use (another `socialcare local`?): choose one with {option}"
            ) from None


def _connect_webhooks(url: str, platform_apis: dict[str, str]) -> None:
    """The built-in emulator's webhooks, registered as `socialcare connect` does; another
    implementation of an API (--meta-api ...) is left for the person to connect."""
    from socialcare_cli.connect import PLATFORMS, connect_local

    built_in = tuple(p for p in PLATFORMS if p not in platform_apis)
    connect_local(url, built_in, say=lambda line: print(f"  connect      {line}"))
    for platform in sorted(set(PLATFORMS) - set(built_in)):
        print(f"  connect      {platform}: run `socialcare connect {platform} --local {url}`")


def serve(
    port: int, aws_port: int, time_scale: float, platform_apis: dict[str, str] | None = None
) -> int:
    """`platform_apis`: base URLs of other implementations of the platforms' APIs, by
    platform ("meta", "x", "telegram"), used instead of the built-in emulator's."""
    _free(port, "--port")
    _free(aws_port, "--aws-port")
    stack = LocalStack(port=aws_port, time_scale=time_scale, platform_apis=platform_apis)
    stack.start()
    api = LocalApiServer(stack, port=port)
    stack.set_api_base_url(f"http://127.0.0.1:{port}")
    print(f"socialcare local stack (time scale x{time_scale:g})")
    print(f"  HTTP API     http://127.0.0.1:{port}/webhooks/{{meta,x,telegram}}")
    print(f"  cases        http://127.0.0.1:{port}/_local/cases")
    print(f"  outbox       http://127.0.0.1:{port}/_local/outbox")
    print(f"  platforms    {stack.platforms.url} (Graph API, X API v2, Telegram Bot API)")
    for platform, url in sorted((platform_apis or {}).items()):
        print(f"  {platform:<12} calls go to {url} instead")
    print(f"  calls        http://127.0.0.1:{port}/_local/platform/calls")
    print(f"  faults       POST http://127.0.0.1:{port}/_local/platform/faults")
    print(f"  content      POST http://127.0.0.1:{port}/_local/platform/content")
    print(f"  AWS emulator {stack.endpoint_url}  (aws --endpoint-url {stack.endpoint_url} ...)")
    if stack.login_server is not None:
        print(f"  sign-in      {stack.login_server.url} (the console's managed login; people: ")
        print("               socialcare users add EMAIL --role ROLE --local)")
    print(f"  table {stack.cases_table}, state machine {stack.case_workflow_arn}")
    threading.Thread(target=api.serve_forever, daemon=True).start()
    _connect_webhooks(f"http://127.0.0.1:{port}", platform_apis or {})
    print("Ctrl-C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("stopping")
    finally:
        api.shutdown()
        stack.stop()
    return 0
