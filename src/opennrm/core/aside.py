"""Work done in a second process while this one goes on: a forked copy of this process runs a
producer and sends its results back through a pipe, in order (a large import's records are
checked, sealed and digested there while this process writes the ones already done).

Only for a process that does not serve requests (a management command): forking copies the
whole process, and a process with other threads may fork while one of them holds a lock. Start
the copy before a transaction begins (on SQLite the transaction takes the write lock). The copy
gets the memory as it was (the settings, the key ring, the records to read) and must not use
the database: it has the parent's open connections, and a query there would run in the
parent's session. Every query on every connection of it is refused (`execute_wrapper`), it
closes nothing of the parent's (it ends with `os._exit`, as every `multiprocessing` child
started by fork does), it dies with the parent (Linux's parent-death signal; elsewhere its
next write to the closed pipe fails), so it never holds the parent's database session or the
data after the parent is gone, and what it sends goes through an anonymous pipe, not the disk.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import signal
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


_PR_SET_PDEATHSIG = 1  # prctl's option: a signal for this process when its parent dies


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when the parent dies (elsewhere: nothing; a write to the
    pipe whose reading end died with the parent fails instead)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (AttributeError, OSError, TypeError):  # not Linux with glibc
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request
        os._exit(1)


def _run(
    produce: Callable[[Callable[[Any], None]], None], send: Any, receive: Any, parent: int
) -> None:
    try:
        receive.close()  # the parent's end: once the parent is gone, writing here fails
        _die_with_parent(parent)
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(_refuse_query))
            produce(send.send)
        send.send(_Done())
    except BaseException as exc:  # reported to the parent, which raises AsideError
        try:
            send.send(_Failed(type(exc).__name__))
        except BaseException:  # the parent is gone: leave without a word (no traceback)
            os._exit(1)
    finally:
        send.close()


class Aside:
    """``produce(send)`` running in a forked copy of this process, started at once; iterate to
    receive, in order, what it has sent since the last step (a list of at least one object:
    everything that arrived while the caller was busy). A thread here reads the pipe as it
    fills, so the copy is never held up by a full pipe while the caller works; the objects are
    unpickled here, in the caller's thread. Iterating raises `AsideError` when the producer
    raises or the copy ends early, as soon as that is seen (what arrived with it is not
    yielded first: it would serve a failed whole). `close()` (or leaving a ``with`` block)
    stops the copy if it is still at work; iterate once only."""

    def __init__(self, produce: Callable[[Callable[[Any], None]], None]) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_run, args=(produce, send, self._receive, os.getpid()), daemon=True
        )
        self._process.start()
        send.close()  # the copy holds the only writing end: its end is seen as EOF here
        self._arrived: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read, name="aside-reader", daemon=True)
        self._reader.start()
        self._done = False

    def _read(self) -> None:
        try:
            while True:
                self._arrived.put(self._receive.recv_bytes())
        except (EOFError, OSError):  # the copy ended, or was stopped
            pass
        finally:  # whatever stopped the reading, the caller is not left waiting
            self._arrived.put(None)

    def __iter__(self) -> Iterator[list[Any]]:
        while not self._done:
            blobs = [self._arrived.get()]
            while not self._arrived.empty():
                blobs.append(self._arrived.get())
            messages: list[Any] = []
            for blob in blobs:
                if blob is None:
                    raise AsideError("the second process ended before it sent everything")
                message = ForkingPickler.loads(blob)
                if isinstance(message, _Failed):
                    raise AsideError(f"the second process failed ({message.kind})")
                if isinstance(message, _Done):
                    self._done = True
                    break
                messages.append(message)
            if messages:
                yield messages

    def close(self) -> None:
        if not self._done:  # stopped, failed or left early: the copy has nothing more to do
            self._process.terminate()
        self._process.join(_JOIN_SECONDS)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(_JOIN_SECONDS)
        self._reader.join(_JOIN_SECONDS)  # the copy's end of the pipe is closed: it ends
        if not self._reader.is_alive():  # never close a pipe the reader still reads
            self._receive.close()

    def __enter__(self) -> Aside:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
