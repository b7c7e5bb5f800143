"""The local stack's clock control (local only, never in the Lambda package): moves the time the schedules see
forward, so a 30-day grace period or a monthly digest can be watched in minutes. The API, tokens and the eID keep
real time. The offset lives in a file `make run` reads at each schedule tick:

    .venv/bin/python -m devstack.clock forward 31d     # or 36h, 90m; adds to what was set
    .venv/bin/python -m devstack.clock show
    .venv/bin/python -m devstack.clock reset
"""

import re
import sys
import time
from pathlib import Path

OFFSET_FILE = Path(".local/clock-offset")
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def offset_seconds(path: Path = OFFSET_FILE) -> int:
    try:
        return int(path.read_text().strip() or 0)
    except (OSError, ValueError):
        return 0


def local_now(path: Path = OFFSET_FILE) -> float:
    """Now, as the local schedules see it."""
    return time.time() + offset_seconds(path)


def parse_duration(text: str) -> int:
    match = re.fullmatch(r"(\d+)([dhms])", text.strip())
    if not match:
        raise ValueError(f"not a duration: {text!r} (e.g. 31d, 36h, 90m)")
    return int(match.group(1)) * _UNITS[match.group(2)]


def set_offset(seconds: int, path: Path = OFFSET_FILE) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_text(str(seconds))


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "show"
    if command == "forward" and len(argv) == 2:
        set_offset(offset_seconds() + parse_duration(argv[1]))
    elif command == "reset":
        set_offset(0)
    elif command != "show":
        print(__doc__, file=sys.stderr)
        return 2
    shown = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(local_now()))
    print(f"schedules' clock: {shown} (real time + {offset_seconds() // 3600} h)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
