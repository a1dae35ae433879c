"""Bot processes forked from one that has already imported the bot, for the tests that start
and kill `python -m bot run` many times over (tests/failure/test_sigkill*.py).

A new interpreter spends more than a second of CPU importing SQLAlchemy, discord.py, aiohttp,
pydantic and the bot before it does anything, and those tests start the bot 2 to 7 times
each, on each database. Here one server process per test worker imports all that once; each
start forks it, and the child runs `bot.cli.main` exactly as `python -m bot` would, with the
test's arguments, environment, folder and pipes, and dies or exits as that would. What a
fork skips is only the interpreter's start and the imports: the process tests in
tests/e2e keep starting `python -m bot` itself, so the command and its imports stay tested.

Run as `python -m tests.e2e.forkserver SOCKET`: it prints "ready" once it listens on the
Unix socket, serves until its stdin closes (the test worker is gone), then kills the
children it has left. Each request on a connection of its own carries the stdout and stderr
pipes (SCM_RIGHTS) and a JSON object of arguments, environment and folder; the answer is the
child's pid, then, when the child is gone, its return code as `subprocess` gives it (minus
the signal's number when a signal ended it).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TypedDict

_MAX_REQUEST = 1 << 20


class _Request(TypedDict):
    """What a test asks for: `python -m bot <args>` with `env`, in `cwd` (sent as JSON)."""

    args: list[str]
    env: dict[str, str]
    cwd: str


def _child(request: _Request, fds: list[int], keep_closed: list[int]) -> None:
    """In the forked child: become `python -m bot <args>`; never returns."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        for fd in keep_closed:
            with contextlib.suppress(OSError):
                os.close(fd)
        # As Python starts: SIGINT raises KeyboardInterrupt, SIGPIPE stays ignored (the
        # server inherited that), the rest as the system has them.
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        stdin = os.open(os.devnull, os.O_RDONLY)
        os.dup2(stdin, 0)
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        for fd in (stdin, *fds):
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        args = request["args"]
        import bot
        from bot.cli import main

        sys.argv = [str(Path(bot.__file__).with_name("__main__.py")), *args]

        code = main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        # As the interpreter would at exit (logging.shutdown among them), but without
        # unwinding into the server's loop.
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def serve(path: str) -> None:
    """Import what `python -m bot run` imports, then fork a child for each request."""
    # What every `python -m bot run` imports before it connects; the extensions themselves
    # discord.py loads in each child, as in a process of its own.
    import bot.app
    import bot.cli
    import bot.runner  # noqa: F401

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    wake_r, wake_w = socket.socketpair()
    wake_r.setblocking(False)
    wake_w.setblocking(False)
    signal.set_wakeup_fd(wake_w.fileno())
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(wake_r, selectors.EVENT_READ, "child")
    selector.register(sys.stdin, selectors.EVENT_READ, "stdin")
    children: dict[int, socket.socket] = {}
    print("ready", flush=True)
    try:
        while True:
            for key, _ in selector.select():
                if key.data == "stdin":
                    if not os.read(sys.stdin.fileno(), 4096):
                        return
                elif key.data == "child":
                    with contextlib.suppress(BlockingIOError):
                        while wake_r.recv(4096):
                            pass
                    _reap(children)
                else:
                    conn, _ = listener.accept()
                    message, fds, _flags, _addr = socket.recv_fds(conn, _MAX_REQUEST, 2)
                    request: _Request = json.loads(message)
                    keep_closed = [
                        listener.fileno(),
                        wake_r.fileno(),
                        wake_w.fileno(),
                        conn.fileno(),
                        *(c.fileno() for c in children.values()),
                    ]
                    pid = os.fork()
                    if pid == 0:
                        _child(request, fds, keep_closed)
                    for fd in fds:
                        os.close(fd)
                    children[pid] = conn
                    conn.sendall(f"{pid}\n".encode())
            _reap(children)
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _reap(children: dict[int, socket.socket]) -> None:
    """Tell each child's requester how the children that have ended ended."""
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is None:
            continue
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        with contextlib.suppress(OSError):
            conn.sendall(f"{code}\n".encode())
        conn.close()


class ForkedProcess:
    """A forked bot process, with the part of `asyncio.subprocess.Process` the tests use."""

    def __init__(
        self,
        pid: int,
        status: asyncio.StreamReader,
        status_writer: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
    ) -> None:
        self.pid = pid
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None
        self._status = status
        self._status_writer = status_writer

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    async def wait(self) -> int:
        if self.returncode is None:
            line = await self._status.readline()
            if not line:
                raise RuntimeError("the fork server went away before the process ended")
            self.returncode = int(line)
            self._status_writer.close()
        return self.returncode


class ForkServer:
    """The server process of one test worker, started on first use."""

    def __init__(self, folder: Path, env: Mapping[str, str]) -> None:
        self._path = str(folder / "forkserver.sock")
        # The server's own environment sets what Python reads once, at its start
        # (PYTHONWARNINGS, PYTHONUNBUFFERED, PYTHONPATH): the same for every child.
        self._env = dict(env)
        self._server: subprocess.Popen[bytes] | None = None

    def _started(self) -> None:
        if self._server is not None:
            return
        self._server = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.forkserver", self._path],
            cwd=Path(__file__).resolve().parents[2],
            env=self._env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._server.stdout is not None
        ready = self._server.stdout.readline()
        if ready != b"ready\n":
            raise RuntimeError(f"the fork server did not start: {ready!r}")

    async def start(self, args: list[str], env: Mapping[str, str], cwd: Path) -> ForkedProcess:
        """Fork `python -m bot <args>` with `env` in `cwd`, its stdout and stderr piped."""
        self._started()
        loop = asyncio.get_running_loop()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                conn.connect(self._path)
                asked = _Request(args=args, env=dict(env), cwd=str(cwd))
                request = json.dumps(asked).encode()
                if socket.send_fds(conn, [request], [out_w, err_w]) != len(request):
                    raise RuntimeError("the fork server took part of a request")
            finally:
                os.close(out_w)
                os.close(err_w)
            conn.setblocking(False)
            status, writer = await asyncio.open_unix_connection(sock=conn)
            line = await status.readline()
            if not line.strip().isdigit():
                writer.close()
                raise RuntimeError(f"the fork server forked nothing: {line!r}")
        except BaseException:
            conn.close()
            os.close(out_r)
            os.close(err_r)
            raise
        return ForkedProcess(
            int(line), status, writer, await _reader(loop, out_r), await _reader(loop, err_r)
        )

    def close(self) -> None:
        """Stop the server; it kills the children still running."""
        if self._server is None:
            return
        assert self._server.stdin is not None
        assert self._server.stdout is not None
        self._server.stdin.close()
        try:
            self._server.wait(10)
        except subprocess.TimeoutExpired:
            self._server.kill()
            self._server.wait()
        self._server.stdout.close()
        self._server = None


async def _reader(loop: asyncio.AbstractEventLoop, fd: int) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0)
    )
    return reader


if __name__ == "__main__":
    serve(sys.argv[1])
