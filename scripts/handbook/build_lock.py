"""One build of a working tree at a time.

Two builds of the same tree would execute the same notebooks into the same build/ folder and write the
same caches at once. The router takes this lock when a build starts and gives it back when it ends (or
fails); a second build waits for it and says so. An advisory lock (flock) on a file in build/: the
operating system releases it when its holder exits, however it exits, so no stale lock outlives a build.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path
from typing import IO

from handbook import BUILD, rel

LOCK = BUILD / "build.lock"


def acquire(path: Path = LOCK) -> IO[str]:
    """Hold the lock (waiting, with a message, while another build holds it); returns the file to release."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        print(
            f"another build of this tree is running ({holder}, lock {rel(path)}): waiting for it to end",
            file=sys.stderr,
        )
        fcntl.flock(handle, fcntl.LOCK_EX)
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    return handle


def release(handle: IO[str] | None) -> None:
    if handle is not None and not handle.closed:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
