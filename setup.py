"""Package discovery for setuptools; every other setting is in pyproject.toml.

Why a setup.py at all: the import name `tongdui` maps to the folder backend/ (package-dir),
and pyproject's `packages.find` cannot rename a root, so it would find `indexer`, `api` …
as top-level packages. Here every folder under backend/, code or data (artifacts/, static/),
becomes `tongdui.<folder>`, so a new subpackage needs no line anywhere.
"""

from setuptools import find_namespace_packages, setup

subpackages = find_namespace_packages("backend", exclude=["*__pycache__*"])
setup(packages=["tongdui", *(f"tongdui.{name}" for name in subpackages)])
