"""Compile the AIS pipeline's hot path (``maritime/ais/_fastline.pyx``) with Cython and gcc.

    python scripts/build_speedups.py

Optional: without the build, Bastion runs the same code path in Python (measured gain in
``bench/ais_throughput.py`` and ``bench/ais_process.py``). The built module is named after a
hash of its source and of the Python parser and decoder it mirrors (``pipeline.compiled_key``),
so an edit to any of them makes the pipeline ignore the old build until this is run again.
Needs ``cython`` (``pip install -e '.[dev]'``) and a C compiler.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def build(target_dir: Path | None = None, quiet: bool = False) -> Path:
    """Build the extension and return its path (in the package unless ``target_dir``)."""
    from Cython.Build import cythonize
    from setuptools import Extension
    from setuptools.dist import Distribution

    from bastion.maritime.ais import pipeline

    source = pipeline.FASTLINE_SOURCE
    target = (target_dir or source.parent) / pipeline.compiled_name()
    with tempfile.TemporaryDirectory(prefix="bastion-build-") as scratch:
        copy = Path(scratch) / source.name
        shutil.copy(source, copy)
        extension = Extension(pipeline.FASTLINE_MODULE, [str(copy)],
                              extra_compile_args=["-O2"])
        dist = Distribution({"ext_modules": cythonize([extension], quiet=quiet,
                                                      build_dir=scratch),
                             "script_args": ["build_ext", "--build-lib", scratch,
                                             "--build-temp", scratch] + (["-q"] if quiet else [])})
        dist.parse_command_line()
        dist.run_commands()
        built = next(Path(scratch).rglob("_fastline*.so"), None) or \
            next(Path(scratch).rglob("_fastline*.pyd"))
        target.parent.mkdir(parents=True, exist_ok=True)
        for old in target.parent.glob("_fastline.*"):
            if old.suffix in (".so", ".pyd") and old != target:
                old.unlink()
        shutil.copy(built, target)
    return target


if __name__ == "__main__":
    print(build())
