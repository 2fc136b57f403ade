"""The offline edition: the site built again to be read from disk (Material's offline plugin), zipped into the site.

A stage of its own, after `mkdocs build` (make build, the deploy workflow and the tests run both):
it needs the built site's Anki deck, which it ships, and it doubles no other build.

Usage: python scripts/offline_edition.py [SITE_DIR] [--strict]   (default: site/)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from handbook import MKDOCS_YML, html_safety, load_mkdocs_config, zip_bytes
from handbook.contract import DOWNLOADS
from handbook.settings import OFFLINE

# Left out of the zip: of no use from disk, and it dates every page with the build's day.
SKIP = {"sitemap.xml", "sitemap.xml.gz"}
FOLDER = "ml-interview-handbook"  # one folder inside the zip, so that unzipping never scatters files


def build_offline(site_dir: Path, config_file: Path = MKDOCS_YML, strict: bool = True, tool: str = "mkdocs") -> Path:
    """Build the offline edition and write it into `site_dir`'s downloads; returns the zip's path."""
    deck = site_dir / DOWNLOADS["deck"]
    if not deck.is_file():
        raise FileNotFoundError(f"{deck} is missing: build the site first (mkdocs build), then its offline edition")
    with tempfile.TemporaryDirectory() as tmp:
        offline = Path(tmp) / "site"
        # The tool that built the site: MkDocs, or its fork ProperDocs. Not --quiet: it silences the warnings
        # that --strict counts.
        command = [sys.executable, "-m", tool, "build", *(["--strict"] if strict else [])]
        command += ["--config-file", str(config_file), "--site-dir", str(offline)]
        env = {**os.environ, OFFLINE: "true", "NO_MKDOCS_2_WARNING": "true"}
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            output, _ = child.communicate()
        finally:  # stopped (Ctrl-C, or SIGTERM: see main), this stage ends its build too, and the temporary folder goes
            if child.poll() is None:
                child.terminate()
                child.wait()
        if child.returncode != 0:
            raise RuntimeError(f"the offline edition failed to build:\n{output}")
        # Its pages as they go into the zip, after every plugin (the offline one included) has had its say.
        prefix = urlsplit(load_mkdocs_config(config_file).get("site_url") or "/").path or "/"
        problems = html_safety.check_site(offline, prefix, directory_urls=False)
        if problems:
            raise RuntimeError(
                "the offline edition carries what the site does not ship:\n"
                + "\n".join(f"  {name}: {p}" for name, found in problems.items() for p in found)
            )
        entries = {
            path.relative_to(offline).as_posix(): path.read_bytes()
            for path in offline.rglob("*")
            if path.is_file() and path.relative_to(offline).as_posix() not in SKIP
        }
    entries[DOWNLOADS["deck"]] = deck.read_bytes()  # the site's deck: its cards link to the published pages
    target = site_dir / DOWNLOADS["offline"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(zip_bytes({f"{FOLDER}/{name}": content for name, content in entries.items()}))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", nargs="?", type=Path, default=Path("site"))
    parser.add_argument("--config-file", type=Path, default=MKDOCS_YML)
    parser.add_argument("--no-strict", dest="strict", action="store_false", help="let warnings pass")
    parser.add_argument("--tool", default="mkdocs", choices=("mkdocs", "properdocs"), help="the generator (mkdocs)")
    args = parser.parse_args(argv)
    # SIGTERM (a CI job cancelled, `kill`) unwinds like Ctrl-C, so the build this stage started ends with it.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    start = time.monotonic()
    try:
        target = build_offline(args.site_dir, args.config_file, args.strict, args.tool)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"offline_edition.py: {exc}", file=sys.stderr)
        return 1
    print(f"offline edition: {target} ({target.stat().st_size / 1e6:.1f} MB) in {time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
