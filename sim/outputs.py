"""Writing run outputs safely: each file goes to a temporary name and is renamed.

An interrupted run never leaves a half-written file, and an existing output
folder is only written into with --force. Files get the permissions the umask
allows (like any file the user creates), the temporary files of a killed run are
removed by the next one, and an output path is always inside the chosen folder.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


class OutputError(Exception):
    """The output folder cannot be used as asked."""


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _read_umask()
#: The temporary names atomic_write makes: .NAME.XXXXXXXX.tmp (tempfile's 8 characters).
_TEMP_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def safe_name(name: str, fallback: str = "scenario") -> str:
    """A scenario or study name as one folder name: no separators, no leading dots."""
    text = re.sub(r"[^\w.-]+", "_", name).strip("._")[:100]
    return text or fallback


def default_out(name: str, prefix: str = "") -> Path:
    """out/<prefix><name>, with the name made safe (a name such as ../../x stays inside)."""
    return Path("out") / f"{prefix}{safe_name(name)}"


def check_out_path(out: Path, names: Iterable[str] = ()) -> None:
    """Refuse an --out that cannot hold the outputs.

    That is a file, or a folder holding a folder where an output file goes.
    """
    if str(out).strip() == "":
        raise OutputError("--out is empty; give a folder, e.g. --out out/my_run")
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} exists and is not a folder; choose another path")
    for name in names:
        if (out / name).is_dir():
            raise OutputError(f"--out {out} holds a folder named {name}, where an output file "
                              "goes; move it or choose another folder")


def clean_stale_temps(out: Path) -> None:
    """Remove temporary files a killed run left behind (.NAME.XXXXXXXX.tmp)."""
    if out.is_dir():
        for item in out.iterdir():
            if _TEMP_RE.match(item.name) and item.is_file():
                item.unlink(missing_ok=True)


def prepare_out_dir(out: Path, force: bool, names: Iterable[str] = ()) -> None:
    """Refuse a non-empty existing folder unless forced; create it otherwise."""
    check_out_path(out, names)
    clean_stale_temps(out)
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(f"--out {out} already holds files; add --force to overwrite them "
                          "or choose another folder")
    make_out_dir(out)


def make_out_dir(out: Path) -> None:
    """Create the output folder (and its parents), or say plainly why it cannot be used."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create --out {out}: {exc.strerror}; choose another path") \
            from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write into --out {out} (permission denied); "
                          "choose another path")


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(tmp) on a temporary file beside `path`, then rename it into place.

    The file gets the permissions the umask gives a new file, not tempfile's 0600.
    """
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write into {path.parent}: {exc.strerror}; choose another "
                          "--out") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~UMASK)
        os.replace(tmp, path)
    except (IsADirectoryError, PermissionError, NotADirectoryError) as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}; move what is there or "
                          "choose another --out") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write `frame` to `path` as CSV without its index, atomically."""
    atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False))


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write `data` to `path` as indented UTF-8 JSON, atomically."""
    atomic_write(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False)
                                                  + "\n", encoding="utf-8"))


def write_text(path: Path, text: str) -> None:
    """Write `text` to `path` as UTF-8, atomically."""
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
