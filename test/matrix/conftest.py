"""Keeps the repository free of __pycache__ (the drivers run as subprocesses with their own paths)."""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True
