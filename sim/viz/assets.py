"""The teaching page's browser assets, installed for offline use.

Solara's page loads its JavaScript and CSS from a CDN, through the server, which
first looks in `<venv>/share/solara/cdn/`. A classroom or CI machine may have no
internet, so `python -m sim.viz.assets` fills that folder from the npm registry
(`npm pack`, the same packages the CDN serves). Without npm it says so and leaves
Solara to fetch them on first use.

The versions are the ones the pinned Solara (see pyproject.toml) asks for; the
browser test fails on any asset the server cannot serve, so a Solara upgrade that
needs others is caught.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

#: npm packages (name@version) the page requests under /_solara/cdn/.
PACKAGES = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    "echarts@5.4.0",  # solara.FigureEcharts: the page's charts are drawn in the browser
)


def cdn_folder() -> Path:
    """Where Solara's server looks for CDN files before fetching them."""
    from solara.server.settings import assets

    return Path(assets.proxy_cache_dir)


def missing(folder: Path) -> list[str]:
    """The PACKAGES not yet installed in `folder`."""
    return [p for p in PACKAGES if not (folder / p / "package.json").is_file()]


def install(folder: Path, packages: list[str]) -> None:
    """Unpack each package's npm tarball into folder/name@version (atomically)."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm not found")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in packages:
            done = subprocess.run([npm, "pack", spec, "--silent"], cwd=tmp, check=True,
                                  capture_output=True, text=True)
            tarball = Path(tmp) / done.stdout.strip().splitlines()[-1]
            staging = Path(tmp) / "unpacked"
            with tarfile.open(tarball) as archive:
                archive.extractall(staging, filter="data")
            target = folder / spec
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(target, ignore_errors=True)
            shutil.move(staging / "package", target)
            shutil.rmtree(staging, ignore_errors=True)


def main() -> int:
    """Install the missing assets; 0 even when they cannot be (the page uses the CDN)."""
    folder = cdn_folder()
    todo = missing(folder)
    if not todo:
        print(f"Teaching page assets: all {len(PACKAGES)} present in {folder}")
        return 0
    try:
        install(folder, todo)
    except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", None) or exc
        print(f"note: could not install the teaching page's assets ({detail}); the page will "
              "fetch them from the CDN when online", file=sys.stderr)
        return 0
    print(f"Teaching page assets: installed {', '.join(todo)} in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
