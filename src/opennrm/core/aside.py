"""Work done in a second process while this one goes on: a forked copy of this process runs a
producer and sends its results back through a pipe, in order (a large import's records are
checked, sealed and digested there while this process writes the ones already done).

Only for a process that does not serve requests (a management command): forking copies the
whole process, and a process with other threads may fork while one of them holds a lock. The
copy gets the memory as it was (the settings, the key ring, the records to read) and must not
use the database: it has the parent's open connections, and a query there would run in the
parent's session. Every query in it is refused (`execute_wrapper`), it closes nothing of the
parent's (it ends with `os._exit`, as every `multiprocessing` child started by fork does), and
what it sends goes through an anonymous pipe, not the disk.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing.reduction import ForkingPickler
from typing import Any

from django.db import connections

#: How long the parent waits for the copy to end once it has sent everything (or was stopped).
_JOIN_SECONDS = 10.0


class AsideError(RuntimeError):
    """The second process failed or ended before it sent everything; nothing of it is used."""


@dataclass(frozen=True)
class _Failed:
    kind: str  # the exception's class name: never its message, which may quote the data


class _Done:
    pass


def _refuse_query(*args: Any, **kwargs: Any) -> Any:
    raise AsideError("the second process may not use the database")


def _run(produce: Callable[[Callable[[Any], None]], None], send: Any) -> None:
    try:
        with ExitStack() as stack:
            for connection in connections.all(initialized_only=True):
                stack.enter_context(connection.execute_wrapper(_refuse_query))
            produce(send.send)
        send.send(_Done())
    except BaseException as exc:  # reported to the parent, which raises AsideError
        send.send(_Failed(type(exc).__name__))
    finally:
        send.close()


def produced_aside(produce: Callable[[Callable[[Any], None]], None]) -> Iterator[list[Any]]:
    """Run ``produce(send)`` in a forked copy of this process and yield, in order, what it has
    sent since the last step (a list of at least one object: everything that arrived while
    the caller was busy). A thread here reads the pipe as it fills, so the copy is never held
    up by a full pipe while the caller works; the objects are unpickled here, in the caller's
    thread. Raises `AsideError` when the producer raises or the copy ends early, as soon as
    that is seen (what arrived with it is not yielded first: it would serve a failed whole).
    Leaving the loop early stops the copy."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_run, args=(produce, send), daemon=True)
    process.start()
    send.close()  # the copy holds the only writing end: its end is seen as EOF here
    arrived: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def read() -> None:
        try:
            while True:
                arrived.put(receive.recv_bytes())
        except (EOFError, OSError):  # the copy ended, or the caller closed the pipe
            arrived.put(None)

    reader = threading.Thread(target=read, name="aside-reader", daemon=True)
    reader.start()
    done = False
    try:
        while True:
            blobs = [arrived.get()]
            while not arrived.empty():
                blobs.append(arrived.get())
            messages: list[Any] = []
            for blob in blobs:
                if blob is None:
                    raise AsideError("the second process ended before it sent everything")
                message = ForkingPickler.loads(blob)
                if isinstance(message, _Failed):
                    raise AsideError(f"the second process failed ({message.kind})")
                if isinstance(message, _Done):
                    done = True
                    break
                messages.append(message)
            if messages:
                yield messages
            if done:
                return
    finally:
        if not done:  # stopped, failed or left early: the copy has nothing more to do
            process.terminate()
        process.join(_JOIN_SECONDS)
        reader.join(_JOIN_SECONDS)  # the copy's end of the pipe is closed: the reader ends
        receive.close()
