#!/usr/bin/env bash
# Gradescope runs this once, from /autograder/source, when it builds the autograder's image:
# a Python (3.11 or later) with venv, torch's CPU build, and backprop-dojo from the wheel
# bundled beside this file.
set -euo pipefail
cd "$(dirname "$0")"

python=""
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        python="$candidate"
        break
    fi
done
if [ -z "$python" ] || ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    apt-get update
    apt-get install -y python3.11 python3.11-venv || apt-get install -y python3 python3-venv python3-pip
    python="$(command -v python3.11 || command -v python3)"
fi

"$python" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
/autograder/venv/bin/python -m pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
/autograder/venv/bin/python -m pip install ./backprop_dojo-*.whl
