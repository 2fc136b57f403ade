"""Put on PYTHONPATH, this makes a Python process act as if MkDocs were not installed.

tests/test_build.py builds the site with ProperDocs this way, to show that the fork alone
builds it: ProperDocs answers `import mkdocs` itself, so a plugin that reached the real
MkDocs before ProperDocs is loaded would fail here.
"""

import sys


class _NoMkDocs:
    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "mkdocs" or name.startswith("mkdocs."):
            raise ModuleNotFoundError(f"No module named {name!r} (hidden by tests/without_mkdocs)", name=name)


sys.meta_path.insert(0, _NoMkDocs())
