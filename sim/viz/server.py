"""Start the teaching page: Solara's server running `sim.viz.app` for a scenario."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

#: The environment variable that tells `sim.viz.app` which scenario to show.
SCENARIO_ENV = "MNP_VIZ_SCENARIO"
#: Loopback only unless the teacher asks for more (`mnp viz --host 0.0.0.0`).
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def command(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
            open_browser: bool = False) -> list[str]:
    """The server command line (Solara's own `run`, in production mode)."""
    return [sys.executable, "-m", "solara", "run", "sim.viz.app", "--host", host,
            "--port", str(port), "--production", "--open" if open_browser else "--no-open",
            "--log-level", "warning"]


def serve(scenario_file: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          open_browser: bool = False) -> NoReturn:
    """Replace this process with the server, so Ctrl-C and signals reach it directly."""
    env = {**os.environ, SCENARIO_ENV: str(Path(scenario_file).resolve())}
    args = command(host, port, open_browser)
    os.execve(args[0], args, env)
