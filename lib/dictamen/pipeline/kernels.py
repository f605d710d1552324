"""Warm kernels: each report still gets a brand-new kernel process, without paying the imports again.

A worker keeps one *kernel parent* (a plain Python process, not a kernel) that has done the heavy
imports once: IPython and ipykernel, and the libraries the notebooks import (pandas, matplotlib,
statsmodels, dictamen's modules). For every report the worker asks it to ``fork()``; the child turns
itself into an ordinary IPython kernel on the connection file jupyter_client wrote, in the report's
working directory and environment. The kernel is then driven and shut down exactly like a launched
one (nbclient through :class:`WarmKernelManager`), and a cell error, a timeout or a SIGKILL of the
kernel ends only that child; the next report forks a new one.

Why fork rather than reuse one kernel and reset it: a fork starts from the parent's untouched state,
so nothing a report does (globals, matplotlib rc and figures, recorded results, working directory,
environment, imported user modules, warnings filters, patched library functions, caches, threads)
can reach the next report: there is nothing to reset and no list of state to get wrong. Pre-starting
a fresh kernel while the current report runs isolates as well but saves nothing on a machine whose
cores are busy: every kernel still pays the imports.

What the parent imports is only what is installed (never a module beside the notebook, which each
kernel imports itself, fresh): a base set every kernel needs plus, before its first fork, the modules
the code cells of every notebook of the run import (and, for an imported sub-package, its own modules,
which a package often imports lazily inside functions), so every kernel of a run starts from the same
state, whatever ran before it in its worker.

Lifetime: the parent dies with its worker (``PR_SET_PDEATHSIG``, and the worker kills it at exit) and
each kernel dies with the parent (``PR_SET_PDEATHSIG`` again), so no kernel outlives a killed run.
Linux only (fork, pidfd, prctl); elsewhere :func:`supported` is false and kernels are launched fresh.
"""

from __future__ import annotations

import ast
import atexit
import ctypes
import importlib
import importlib.util
import json
import os
import pkgutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from dictamen.pipeline.quiet import QuietKernelManager

# What every kernel imports while it starts (its own machinery, the debugger's included) and the
# libraries nearly every notebook here uses: found with ``sys.modules`` before and after
# ``IPKernelApp.initialize()`` in a forked child.
BASE_MODULES = ("IPython", "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.oinspect",
                "IPython.extensions.storemagic", "IPython.utils.wildcard", "ipykernel.kernelapp",
                "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "comm", "psutil", "sqlite3",
                "faulthandler", "jupyter_client.session", "zmq.eventloop.zmqstream", "tornado.ioloop",
                "tornado.platform.asyncio", "numpy", "pandas", "matplotlib", "matplotlib.figure")
# Modules that hook into a running IPython shell when imported: importing them in the parent (which
# has no shell) would skip that hook in every kernel, so each kernel imports them itself.
SHELL_HOOKED = ("matplotlib_inline", "matplotlib.pyplot", "ipywidgets", "tqdm.auto", "tqdm.notebook")
_PR_SET_PDEATHSIG = 1


def supported() -> bool:
    """Whether warm kernels can be used here (Linux: fork, pidfd, prctl)."""
    return sys.platform.startswith("linux") and hasattr(os, "pidfd_open") and hasattr(os, "fork")


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this process when its parent (``parent_pid``) exits."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


# ---------------------------------------------------------------------------------------------
# Which modules to import ahead


def notebook_imports(cells: list[Any]) -> list[str]:
    """Dotted names of the modules a notebook's code cells import (absolute imports only)."""
    names: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
                names += [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
    return list(dict.fromkeys(names))


def notebook_file_imports(path: str) -> list[str]:
    """:func:`notebook_imports` of a notebook file (nothing if it cannot be read as one)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return notebook_imports(json.load(handle).get("cells", []))
    except (OSError, ValueError, AttributeError):
        return []


def _importable(name: str) -> bool:
    """Whether ``name`` is an installed module the parent may import (called with the parent's cwd
    "/" and the launcher's sys.path, so a module beside a notebook is never found here)."""
    if any(name == hooked or name.startswith(hooked + ".") for hooked in SHELL_HOOKED):
        return False
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError, AttributeError):
        return False


def import_ahead(names: list[str]) -> list[str]:
    """Import the installed modules among ``names`` (and the modules of imported sub-packages)."""
    imported = []
    for name in names:
        if name in sys.modules or not _importable(name):
            continue
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the kernel will import it itself and report any error
            continue
        imported.append(name)
        if "." in name and hasattr(module, "__path__"):
            imported += _import_package_modules(name, module.__path__)
    return imported


def _import_package_modules(package: str, path: list[str]) -> list[str]:
    imported = []
    try:
        for info in pkgutil.walk_packages(path, prefix=f"{package}.", onerror=lambda _name: None):
            if info.name in sys.modules or info.name.rsplit(".", 1)[-1].startswith("_"):
                continue
            try:
                importlib.import_module(info.name)
                imported.append(info.name)
            except Exception:  # noqa: BLE001
                continue
    except Exception:  # noqa: BLE001 - a package that cannot be walked is imported by the kernel itself
        pass
    return imported


# ---------------------------------------------------------------------------------------------
# The kernel parent (runs in its own process)


def serve(worker_pid: int) -> None:
    """The kernel parent's loop: JSON requests on stdin, one JSON reply per line on stdout."""
    die_with_parent(worker_pid)
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything an import prints goes to stderr, never into the replies
    requests = sys.stdin
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's to handle
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the system
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; the kernel adds its own folder back
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel does
    clock = time.perf_counter()
    import_ahead(list(BASE_MODULES))
    replies.write(json.dumps({"ready": True, "seconds": time.perf_counter() - clock}) + "\n")
    for line in requests:
        request = json.loads(line)
        if "import" in request:
            clock = time.perf_counter()
            imported = import_ahead(request["import"])
            replies.write(json.dumps({"imported": imported, "seconds": time.perf_counter() - clock}) + "\n")
        elif "fork" in request:
            parent_pid = os.getpid()
            pid = os.fork()
            if pid == 0:
                replies.close()
                _become_kernel(request["fork"], parent_pid)
            replies.write(json.dumps({"pid": pid}) + "\n")


def _become_kernel(launch: dict[str, Any], parent_pid: int) -> None:
    """In the forked child: turn into the IPython kernel jupyter_client asked for; never returns."""
    code = 1
    try:
        die_with_parent(parent_pid)
        os.setsid()  # its own process group, as jupyter_client launches kernels (interrupts, kill)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        if launch.get("log"):  # the quiet manager's log file: the kernel's stdout and stderr go there
            log = os.open(launch["log"], os.O_WRONLY | os.O_APPEND)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.close(log)
        for signum in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(launch["cwd"])
        os.environ.clear()
        os.environ.update(launch["env"])
        os.environ["JPY_PARENT_PID"] = str(parent_pid)
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # a fresh kernel draws its own seed; a fork would share one
        sys.argv = [kernel_launcher_path(), *launch["arguments"]]
        from ipykernel import kernelapp

        # ipykernel read JPY_PARENT_PID when the parent imported it: give it the real one, so the kernel
        # exits when the parent goes away, as a launched kernel does when its launcher does.
        kernelapp.IPKernelApp.launch_instance(parent_handle=parent_pid)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:  # noqa: BLE001 - a kernel that cannot start must still never return to the loop
        import traceback

        traceback.print_exc()
    finally:
        atexit._run_exitfuncs()  # what a normal interpreter exit would run (the kernel's, the user's)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


# ---------------------------------------------------------------------------------------------
# The worker's side


class KernelParent:
    """The worker's handle on its kernel parent process (started once, reused for every report)."""

    def __init__(self, options: list[str]) -> None:
        self.options = options
        self.start_reported = False
        self.lock = threading.Lock()
        clock = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, *options, "-c", f"from dictamen.pipeline.kernels import serve; serve({os.getpid()})"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd="/", start_new_session=False)
        ready = self._reply()
        self.start_seconds = time.perf_counter() - clock
        self.base_import_seconds = float(ready["seconds"])

    def _reply(self) -> dict[str, Any]:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the warm-kernel parent process exited")
        return json.loads(line)

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            return self._reply()

    def alive(self) -> bool:
        return self.process.poll() is None

    def import_ahead(self, names: list[str]) -> float:
        """Have the parent import these modules now; returns the seconds it took."""
        return float(self._ask({"import": names})["seconds"])

    def fork_kernel(self, arguments: list[str], cwd: str, env: dict[str, str], log: str = "") -> int:
        """A new kernel: ``arguments`` are those after ``-m ipykernel_launcher`` (``-f FILE ...``); ``log``,
        a file its stdout and stderr are appended to (none: the parent's)."""
        return int(self._ask({"fork": {"arguments": arguments, "cwd": cwd, "env": env, "log": log}})["pid"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()  # its kernels follow (PR_SET_PDEATHSIG)
            self.process.wait()


_parent: KernelParent | None = None
_expected: tuple[list[str], Callable[[float], None] | None] = ([], None)


def expect_imports(names: list[str], on_imported: Callable[[float], None] | None = None) -> None:
    """Have the next warm kernel's parent import ``names`` first; ``on_imported(seconds)`` is told
    the time that took (including the parent's own start when it starts for this kernel)."""
    global _expected
    _expected = (list(names), on_imported)


def kernel_parent(options: list[str] | None = None) -> KernelParent:
    """This worker's kernel parent for these interpreter options, started on first use and again if
    it died (or the options changed)."""
    global _parent
    options = list(options or [])
    if _parent is None or not _parent.alive() or _parent.options != options:
        stop_kernel_parent()
        _parent = KernelParent(options)
        atexit.register(_parent.stop)
    return _parent


def prepare_kernel_parent(kernel_name: str) -> bool:
    """Start (or keep) the kernel parent for ``kernel_name`` from the calling thread, whose exit the
    parent's PR_SET_PDEATHSIG follows: call it from the worker's main thread. False when that kernel
    cannot be forked (another interpreter or language): it is then launched as usual."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
    except NoSuchKernel:
        return False
    options = _launch_options(argv)
    if options is None:
        return False
    kernel_parent(options)
    return True


def kernel_launcher_path() -> str:
    """What ``sys.argv[0]`` is in a kernel started with ``python -m ipykernel_launcher``."""
    spec = importlib.util.find_spec("ipykernel_launcher")
    return str(spec.origin) if spec and spec.origin else "ipykernel_launcher"


def stop_kernel_parent() -> None:
    """Stop this worker's kernel parent (and so any kernel it forked)."""
    global _parent
    if _parent is not None:
        _parent.stop()
        _parent = None


class ForkedKernel:
    """What jupyter_client needs of a ``Popen`` for a kernel this process did not start itself.

    Watched through a pidfd, so a recycled pid can never be mistaken for the kernel.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:
            self._pidfd, self.returncode = None, -signal.SIGKILL

    def poll(self) -> int | None:
        if self.returncode is None and self._pidfd is not None:
            import select

            if select.select([self._pidfd], [], [], 0)[0]:
                self.returncode = -1  # its exit status belongs to the kernel parent, which reaped it
                os.close(self._pidfd)
                self._pidfd = None
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Signal the kernel's process group (it is a session leader, as launched kernels are)."""
        if self.poll() is not None or self._pidfd is None:
            return
        try:
            if os.getpgid(self.pid) == self.pid:  # alive (pidfd), so the pid is still the kernel's
                os.killpg(self.pid, signum)
                return
        except OSError:
            pass
        signal.pidfd_send_signal(self._pidfd, signum)

    def retire(self, grace: float) -> None:
        """Let the kernel finish its own shutdown in the background: SIGTERM after half of ``grace``
        seconds, SIGKILL after all of it (what jupyter_client would do, without holding up the worker)."""

        def watch() -> None:
            for signum in (signal.SIGTERM, signal.SIGKILL):
                try:
                    self.wait(grace / 2)
                    return
                except subprocess.TimeoutExpired:
                    self.send_signal(signum)

        threading.Thread(target=watch, name=f"retire-kernel-{self.pid}", daemon=True).start()

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class WarmProvisioner(LocalProvisioner):
    """Starts the kernel by forking the worker's kernel parent instead of launching a new Python."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        options = _launch_options(cmd)
        if options is None:
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        global _expected
        (names, on_imported), _expected = _expected, ([], None)
        parent = kernel_parent(options)
        seconds = parent.import_ahead(names) if names else 0.0
        if not parent.start_reported:
            seconds += parent.start_seconds
            parent.start_reported = True
        if on_imported is not None:
            on_imported(seconds)
        log = getattr(kwargs.get("stderr"), "name", "")
        pid = parent.fork_kernel(cmd[cmd.index("-m") + 2:], cwd, env, log if isinstance(log, str) else "")
        self.process = ForkedKernel(pid)
        self.pid = pid
        self.pgid = None  # ForkedKernel.send_signal reaches the group without risking a recycled pid
        self.cwd = cwd
        return self.connection_info


def _launch_options(cmd: list[str]) -> list[str] | None:
    """The interpreter options of an IPython kernel command of this very interpreter, e.g.
    ``["-Xfrozen_modules=off"]`` (None when the command is anything else: it is launched as usual)."""
    try:
        module = cmd.index("-m")
    except ValueError:
        return None
    options = cmd[1:module]
    if cmd[module + 1:module + 2] != ["ipykernel_launcher"] or not all(o.startswith("-X") for o in options):
        return None
    try:
        return options if os.path.samefile(os.path.expanduser(cmd[0]), sys.executable) else None
    except OSError:
        return None


class WarmKernelManager(QuietKernelManager):
    """The quiet kernel manager (IPC sockets in a private folder), with kernels forked from the warm parent
    (see the module docstring)."""

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.provisioner is None:
            import uuid

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)

    pre_start_kernel = _async_pre_start_kernel

    async def _async_finish_shutdown(self, waittime: float | None = None, pollinterval: float = 0.1,
                                     restart: bool = False) -> None:
        """The shutdown was requested: the next report need not wait for this kernel to exit."""
        process = getattr(self.provisioner, "process", None)
        if restart or not isinstance(process, ForkedKernel):
            return await super()._async_finish_shutdown(waittime, pollinterval, restart)
        process.retire(waittime if waittime is not None else max(self.shutdown_wait_time, 0.0))
        self.provisioner.process = None

    finish_shutdown = _async_finish_shutdown
