"""Writing files so that nothing is ever half-written."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .errors import GenAIGraphError

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> Path:
    """Write `text` (str as UTF-8, or bytes) to `path` through a temporary file and a rename.

    Readers see the old file or the new one, never a part; if anything fails
    the old file is left as it was and the temporary file is removed.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    GenAIGraphError
        If the file cannot be written (missing directory, no permission, a directory in the way).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(target, "hello").read_text()
    'hello'
    """
    target = Path(path)
    if target.is_dir():
        raise GenAIGraphError(f"cannot write {str(target)!r}: it is a directory")
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        # 0o666 lets the kernel apply the umask, as for any new file.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as err:
        raise GenAIGraphError(f"cannot write {str(target)!r}: {err.strerror or err}") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise GenAIGraphError(f"cannot write {str(target)!r}: {err.strerror or err}") from err
        raise
    return target
