"""Per-request costs of moto's server, paid once instead (local stack only):

- moto builds each REST service's request router (a werkzeug map of every operation) on
  first use behind a cache that does not hold other threads back: when a burst of
  deliveries starts dozens of workflows at once, every concurrent Lambda invoke built its
  own (77 of the first 180 invokes in a 100-delivery load), so the first minutes of a load
  ran several times slower than the rest. Built here before any request.
- its Step Functions interpreter created a new boto3 client for every Lambda task; clients
  are thread-safe, so one is shared per region.
- it parsed the state machine's definition with ANTLR at every execution start (about a
  third of the emulator's CPU time in a load run). The syntax tree of each definition is
  kept; each execution still gets evaluation components of its own from moto's
  preprocessor, so no state is shared between executions. Likewise each JSONPath
  (`$.case_id`...) was compiled by a new PLY parser at every use; compiled paths are
  read-only, so each is compiled once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

# The REST (path-routed) services the local stack serves: Lambda (the state machine's
# tasks), SESv2 (emails) and S3 (reports).
_REST_SERVICES = ("lambda", "sesv2", "s3")


def install() -> None:
    from moto.core.routing import get_service_router
    from moto.core.utils import get_service_model
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import (
        lambda_eval_utils,
    )

    for service in _REST_SERVICES:
        get_service_router(service)._get_router(get_service_model(service).protocol)
    moto_client_for = lambda_eval_utils.boto_client_for

    @cache
    def client_of(region: str, service: str) -> Any:
        return moto_client_for(region, service)

    def shared_client(region: str, service: str, state_credentials: Any = None) -> Any:
        # moto's own function ignores the credentials too (the emulator accepts any).
        return client_of(region, service)

    lambda_eval_utils.boto_client_for = shared_client
    _cache_syntax_trees()


def _cache_syntax_trees() -> None:
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
    from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor

    moto_parse = AmazonStateLanguageParser.parse

    @cache
    def syntax_tree(definition: str) -> Any:
        return moto_parse(definition)[1]  # raises on a syntax error, caching nothing

    def parse(definition: str) -> tuple[Any, Any]:
        tree = syntax_tree(definition)
        return Preprocessor().visit(tree), tree

    AmazonStateLanguageParser.parse = staticmethod(parse)  # type: ignore[method-assign]  # moto, patched

    from moto.stepfunctions.parser.asl.utils import json_path

    json_path.parse = cache(json_path.parse)
