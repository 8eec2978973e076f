"""The live conformance matrix: {TS client, Python client} x {Node server, FastAPI server}."""
