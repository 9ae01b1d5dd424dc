"""Atomic outputs: write beside the target, then rename over it; never leave half a file.

- A file is written to ``.<name>.<pid>.<random>.tmp`` in the target's folder, flushed, synced
  and renamed over the target; on any error the temporary file is removed and the previous
  output (if any) is left as it was.
- A folder is built as ``.<name>.<pid>.<random>.tmpdir`` and swapped with the old one in one
  ``renameat2(RENAME_EXCHANGE)`` where the kernel and file system allow it, so there is no
  moment without a folder at the target. Elsewhere the old folder is renamed to
  ``.<name>.<pid>.old`` first; if the process dies between the two renames, the next write to
  the same target (or :func:`sweep`) renames it back.
- New outputs get the mode the user's umask gives (``0644`` files and ``0755`` folders under
  ``umask 022``), as ``open()`` would; replacing an existing output keeps its mode.
- Temporary files and folders carry the writer's process id: the next write to the same target
  removes those whose process is gone (killed, out of power), and leaves a live writer's alone.
- Errors become :class:`OutputError`, one line naming the target and the reason (no space left,
  permission denied, no such folder).
- A symbolic link is followed: the file it points to is replaced, the link stays. A target that
  is a device or a pipe (``-o /dev/stdout``) is written directly: it cannot be replaced, and
  replacing it (as root, ``/dev/null``) would be a disaster.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from lmkg.errors import LmkgError

# Errors of the device being written to (as opposed to a bad argument): reported against the
# output even when they surface in the middle of a writer's own code.
_DEVICE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}
_UMASK_LOCK = threading.Lock()


class OutputError(LmkgError, OSError):
    """An output could not be written; nothing half-written was left behind."""

    def __init__(self, target: str | os.PathLike[str], exc: OSError, direct: bool = False
                 ) -> None:
        self.target = str(target)
        self.reason = exc.strerror or str(exc)
        OSError.__init__(self, exc.errno, self.reason)
        # Named so that a full disk cannot be mistaken for a bug.
        msg = f"cannot write {self.target}: {self.reason}"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT) and not direct:
            msg += " (nothing was written; any previous output is unchanged)"
        self.message = msg

    def __str__(self) -> str:
        return self.message


def umask() -> int:
    """The process's umask (read without changing it where /proc allows)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _UMASK_LOCK:  # os.umask can only be read by setting it
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _new_mode(target: Path, directory: bool) -> int:
    """The mode an output gets: the existing one's when replacing it, else the umask's."""
    with contextlib.suppress(OSError):
        st = target.stat()
        if stat.S_ISDIR(st.st_mode) == directory:
            return stat.S_IMODE(st.st_mode)
    return (0o777 if directory else 0o666) & ~umask()


# -- stale temporary files -------------------------------------------------------------------
def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    except OSError:
        return True
    return True


def _stale_pattern(name: str) -> re.Pattern[str]:
    # .<name>.<pid>.<random>.tmp | .tmpdir, .<name>.<pid>.old, and the pre-pid forms.
    # A database engine may add its own files beside its temporary one (``.tmp.wal``).
    return re.compile(rf"^\.{re.escape(name)}\.(?:(\d+)\.)?([^.]*)\.?(tmp|tmpdir|old)"
                      rf"(?:\.[A-Za-z]+)?$|^\.{re.escape(name)}\.(old)$")


def sweep(target: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary files and folders that a dead writer left beside ``target``.

    A temporary output whose writer (by process id) is still running is left alone. A
    ``.old`` folder left by a writer killed between its two renames is put back when the target
    is missing. Returns what was removed or restored.
    """
    target = Path(target)
    pattern = _stale_pattern(target.name)
    done: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return done
    for entry in entries:
        m = pattern.match(entry.name)
        if not m:
            continue
        pid = m.group(1)
        if pid is not None and _alive(int(pid)):
            continue
        path = Path(entry.path)
        kind = m.group(3) or m.group(4)
        if pid is None and kind != "old":
            # Written by an lmkg from before pids were recorded: stale once it is an hour old.
            with contextlib.suppress(OSError):
                if time.time() - path.lstat().st_mtime < 3600:
                    continue
        with contextlib.suppress(OSError):
            if kind == "old" and not target.exists():
                os.rename(path, target)
            elif entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            done.append(path)
    return done


def temp_name(target: str | os.PathLike[str], suffix: str = ".tmp") -> Path:
    """A fresh name for a temporary output beside ``target`` that :func:`sweep` recognises
    (for writers that must create the file themselves, such as a database engine)."""
    target = Path(target)
    rand = next(tempfile._get_candidate_names())  # type: ignore[attr-defined]
    return target.with_name(f".{target.name}.{os.getpid()}.{rand}{suffix}")


def _prepare(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(target, exc) from None
    if not target.parent.is_dir():
        raise OutputError(target, OSError(errno.ENOTDIR, "its folder is not a directory"))
    sweep(target)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file for writing; on success it replaces ``path``, on error it vanishes.

    A reader never sees a half-written output, and a failed write leaves the previous one.
    """
    if _is_special(Path(path)):
        with _direct(Path(path), mode, **kwargs) as fh:
            yield fh
        return
    target = _resolve(Path(path))
    _prepare(target)
    if target.is_dir():
        raise OutputError(target, OSError(errno.EISDIR, "it is a directory"))
    file_mode = _new_mode(target, directory=False)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=target.parent)
    except OSError as exc:
        raise OutputError(target, exc) from None
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "")
    try:
        os.fchmod(fd, file_mode)
        with os.fdopen(fd, mode, **kwargs) as fh:
            try:
                yield fh
            except OSError as exc:
                if exc.errno in _DEVICE_ERRNOS and not isinstance(exc, OutputError):
                    raise OutputError(target, exc) from None
                raise
            try:
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise OutputError(target, exc) from None
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise OutputError(target, exc) from None
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in _DEVICE_ERRNOS \
                and not isinstance(exc, OutputError):
            raise OutputError(target, exc) from None  # raised closing the file (its last flush)
        raise


def _resolve(target: Path) -> Path:
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def _is_special(target: Path) -> bool:
    try:
        st = target.stat()
    except OSError:
        return False
    return not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode))


@contextlib.contextmanager
def _direct(target: Path, mode: str, **kwargs: Any) -> Iterator[IO[Any]]:
    """Write straight into a device or pipe (there is nothing to rename over)."""
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "")
    try:
        fh = open(target, mode, **kwargs)
    except OSError as exc:
        raise OutputError(target, exc, direct=True) from None
    try:
        try:
            yield fh
        finally:
            fh.close()
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        raise OutputError(target, exc, direct=True) from None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    import ctypes  # here: only swapping a folder needs it, not every program that writes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Build a folder of outputs in a temporary sibling, then swap it into place.

    At every moment the target holds either the complete old folder or the complete new one.
    """
    target = _resolve(Path(path))
    _prepare(target)
    if target.exists() and not target.is_dir():
        raise OutputError(target, OSError(errno.EEXIST, "it exists and is not a folder"))
    dir_mode = _new_mode(target, directory=True)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmpdir",
                                    dir=target.parent))
        os.chmod(tmp, dir_mode)
    except OSError as exc:
        raise OutputError(target, exc) from None
    try:
        try:
            yield tmp
        except OSError as exc:
            if exc.errno in _DEVICE_ERRNOS and not isinstance(exc, OutputError):
                raise OutputError(target, exc) from None
            raise
        try:
            if not target.exists() and not target.is_symlink():
                os.rename(tmp, target)
            elif _exchange(tmp, target):
                _remove(tmp)  # now holds the old folder
            else:
                old = target.with_name(f".{target.name}.{os.getpid()}.old")
                _remove(old)
                os.rename(target, old)
                os.rename(tmp, target)  # a kill before this line: sweep() puts old back
                _remove(old)
        except OSError as exc:
            raise OutputError(target, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
