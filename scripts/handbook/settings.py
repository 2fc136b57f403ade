"""Every setting the build takes from the environment, read here and nowhere else (the README lists them).

- HANDBOOK_NOTEBOOK_JOBS=N: run at most N notebook kernels at once (default: one per core).
- HANDBOOK_CELL_TIMEOUT=S: seconds a notebook cell may run before the run fails (default 120).
- HANDBOOK_MARKDOWN_ONLY=1: neither execute nor render the notebooks (the benchmark's Markdown-only floor).
- HANDBOOK_OFFLINE=true: the offline edition's build (mkdocs.yml enables Material's offline plugin with it);
  scripts/offline_edition.py sets it for the build it runs.
- SOURCE_DATE_EPOCH: the reproducible-builds date of the edition (default: the commit's time), which
  MkDocs also reads for the sitemap.
The notebooks get one more, from the executor: HANDBOOK_FIGURES_DIR, where save_figure writes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

OFFLINE = "HANDBOOK_OFFLINE"
FIGURES_DIR = "HANDBOOK_FIGURES_DIR"


@dataclass(frozen=True)
class Settings:
    notebook_jobs: int | None
    cell_timeout: int
    markdown_only: bool

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        return cls(
            notebook_jobs=_number(env, "HANDBOOK_NOTEBOOK_JOBS", 0) or None,
            cell_timeout=_number(env, "HANDBOOK_CELL_TIMEOUT", 120),
            markdown_only=bool(env.get("HANDBOOK_MARKDOWN_ONLY")),
        )


def _number(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ValueError(f"{name}={value!r}: give a whole number of {'seconds' if 'TIMEOUT' in name else 'kernels'}")
    return int(value)
