"""Phones for `bench.room`, in their own process (real phones do not share the app's interpreter lock).

`python -m bench.room_phones URL PHONES EACH PAUSE` joins PHONES phones, each
sends EACH suggestions (PAUSE seconds apart; 0: as fast as the room answers),
and prints one JSON object: each suggestion's name and its `time.monotonic()`
send time (the same clock as the app's process on Linux, macOS and Windows).
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from tests.room.phones import Phone


def main(argv: list[str]) -> int:
    url, phones, each, pause = argv[0], int(argv[1]), int(argv[2]), float(argv[3])
    joined = [Phone(url).join() for _ in range(phones)]
    sent: dict[str, float] = {}
    accepted = [0]

    def send(number: int, phone: Phone) -> None:
        for i in range(each):
            name = f"Phone {number} idea {i}"
            sent[name] = time.monotonic()
            if phone.suggest(name).status == 201:
                accepted[0] += 1
            if pause:
                time.sleep(pause)

    with ThreadPoolExecutor(phones) as pool:
        list(pool.map(lambda args: send(*args), enumerate(joined)))
    print(json.dumps({"sent": sent, "accepted": accepted[0]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
