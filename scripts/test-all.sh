#!/usr/bin/env bash
# Every test of wsgen, TypeScript and Python: the README's test command (npm test).
# 1. set-up it needs (Python venv, chromium, redis-server), 2. build, 3. drift gate,
# 4. strict type-check (tsconfig.json, tsconfig.shipped.json), 5. vitest (generator, conformance, runtimes, browser), 6. pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
bash scripts/ensure-chromium.sh
bash scripts/ensure-redis.sh
node scripts/build.mjs
node bin/wsgen.js check
# the vendored outputs of the example and test protocols stay in sync too
node bin/wsgen.js check --schema test/fixtures/whiteboard --out examples/whiteboard/generated --target ts
node bin/wsgen.js check --schema test/fixtures/mini --out test/protocols/mini --target ts
node node_modules/typescript/bin/tsc -p tsconfig.json
# the fixed runtime every TS output copies (generator/shipped/ts), checked as JavaScript with its JSDoc types
node node_modules/typescript/bin/tsc -p tsconfig.shipped.json
npx vitest run
.venv/bin/python -m pytest test/python test/conformance test/python_runtime test/matrix -q -p no:cacheprovider
