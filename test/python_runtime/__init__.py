"""Tests of the Python runtime (runtime/python) against a real uvicorn."""
