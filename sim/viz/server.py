"""Start the teaching page: Solara's server running `sim.viz.app` for a scenario.

On a loopback address only this computer reaches the page. Any other address (a
classroom: `--host 0.0.0.0`) is reachable from the network, so `mnp viz` says so,
prints the address students should open, and by default puts a join code in it: a
visitor without `?join=<code>` gets a note and no simulation.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import socket
import sys
from pathlib import Path
from typing import NoReturn

#: The environment variables that tell `sim.viz.app` the scenario, language and join code.
SCENARIO_ENV = "MNP_VIZ_SCENARIO"
LANG_ENV = "MNP_VIZ_LANG"
JOIN_ENV = "MNP_VIZ_JOIN"
#: Loopback only unless the teacher asks for more (`mnp viz --host 0.0.0.0`).
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: `--join-code auto`: a code on any non-loopback address; `off`: never.
JOIN_AUTO, JOIN_OFF = "auto", "off"
JOIN_CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{4,64}")
_CODE_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read aloud


def is_loopback(host: str) -> bool:
    """True for addresses only this computer can reach (127.x, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_join_code(length: int = 6) -> str:
    """A random join code of `length` characters."""
    return "".join(secrets.choice(_CODE_LETTERS) for _ in range(length))


def join_code_for(host: str, option: str) -> str | None:
    """The join code `--join-code` asks for on `host` (None: no code).

    ValueError when the option is neither auto, off, nor 4-64 letters, digits, - or _.
    """
    if option == JOIN_OFF:
        return None
    if option == JOIN_AUTO:
        return None if is_loopback(host) else new_join_code()
    if not JOIN_CODE_PATTERN.fullmatch(option):
        raise ValueError(f"--join-code {option!r}: use 4-64 letters, digits, '-' or '_', "
                         f"or '{JOIN_AUTO}' or '{JOIN_OFF}'")
    return option


def network_addresses() -> list[str]:
    """This computer's IPv4 addresses other machines can use (best effort, no traffic)."""
    found: list[str] = []
    try:  # the address the default route would use; connect() on UDP sends nothing
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            found.append(s.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(info[4][0])
    except OSError:
        pass
    return [a for a in dict.fromkeys(found) if not ipaddress.ip_address(a).is_loopback]


def page_urls(host: str, port: int, code: str | None) -> list[str]:
    """The addresses of the page: for 0.0.0.0 / ::, one per network address of this computer."""
    query = f"/?join={code}" if code else "/"
    if host in ("0.0.0.0", "::", ""):
        hosts = network_addresses() or ["<this computer's address>"]
    else:
        hosts = [f"[{host}]" if ":" in host else host]
    return [f"http://{h}:{port}{query}" for h in hosts]


def classroom_notice(host: str, port: int, code: str | None) -> list[str]:
    """What `mnp viz` prints before serving beyond loopback."""
    lines = [(f"warning: --host {host}: the teaching page is reachable from the network, "
              "not only from this computer.")]
    urls = page_urls(host, port, code)
    lines.append("Students open: " + "  or  ".join(urls))
    if code:
        lines.append(f"Join code: {code} (a visitor without ?join={code} in the address gets "
                     "no simulation; --join-code CODE sets your own, --join-code off none)")
    else:
        lines.append("No join code (--join-code off): anyone on the network can use the page.")
    lines.append(f"This computer: http://127.0.0.1:{port}/" + (f"?join={code}" if code else ""))
    return lines


def command(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
            open_browser: bool = False) -> list[str]:
    """The server command line (Solara's own `run`, in production mode)."""
    return [sys.executable, "-m", "solara", "run", "sim.viz.app", "--host", host,
            "--port", str(port), "--production", "--open" if open_browser else "--no-open",
            "--log-level", "warning"]


def server_env(scenario_file: Path, lang: str = "en", join_code: str | None = None) -> dict:
    """The server's environment: the page's scenario, language and join code.

    Solara without its banner and telemetry (a classroom may be offline); the kernel of a
    closed tab dropped after 30 minutes instead of 24 hours.
    """
    env = {**os.environ, SCENARIO_ENV: str(Path(scenario_file).resolve()), LANG_ENV: lang,
           "SOLARA_THEME_SHOW_BANNER": "False", "SOLARA_THEME_TITLE": "mnp-sim",
           "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
           "SOLARA_KERNEL_CULL_TIMEOUT": os.environ.get("SOLARA_KERNEL_CULL_TIMEOUT", "30m")}
    env.pop(JOIN_ENV, None)
    if join_code:
        env[JOIN_ENV] = join_code
    return env


def serve(scenario_file: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          open_browser: bool = False, lang: str = "en",
          join_code: str | None = None) -> NoReturn:
    """Replace this process with the server, so Ctrl-C and signals reach it directly.

    With a join code, --open opens the address with the code (Solara's would lack it).
    """
    if open_browser and join_code:
        import subprocess

        local = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"http://{local}:{port}/?join={join_code}"
        opener = f"import time, webbrowser; time.sleep(4); webbrowser.open({url!r})"
        subprocess.Popen([sys.executable, "-c", opener], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        open_browser = False
    args = command(host, port, open_browser)
    os.execve(args[0], args, server_env(scenario_file, lang, join_code))
