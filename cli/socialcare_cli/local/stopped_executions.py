"""StopExecution as AWS does it: a workflow waiting for a task token ends ABORTED at
once. moto's interpreter only marks it stopping, and the waiting task keeps its thread
until the token's timeout (days), so the execution stays RUNNING. Here the stop also
wakes every wait of the execution, and the error the woken task raises does not turn
the stopped execution into a failed one: it ends ABORTED."""

from __future__ import annotations

from typing import Any

from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.program_state import ProgramStopped
from moto.stepfunctions.parser.backend.execution import Execution

_stop = Execution.stop
_set_error = Environment.set_error


def stop(self: Any, stop_date: Any, error: str | None, cause: str | None) -> None:
    _stop(self, stop_date=stop_date, error=error, cause=cause)
    worker = getattr(self, "exec_worker", None)
    pool = getattr(
        getattr(getattr(worker, "env", None), "callback_pool_manager", None), "_pool", {}
    )
    for endpoint in list(pool.values()):
        endpoint.interrupt_all()


def set_error(self: Any, error: Any) -> None:
    if isinstance(self._program_state, ProgramStopped):
        return
    _set_error(self, error)


def install() -> None:
    Execution.stop = stop  # type: ignore[method-assign]
    Environment.set_error = set_error  # type: ignore[method-assign]
