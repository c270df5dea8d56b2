"""The maps whose contract-2 reports are pinned in score_v2_golden.json, and how a report is written there.

Why: the engine is tuned for speed (it runs on the UI thread after every
edit), and a faster engine must give the very same reports: the same score to
the last bit, the same findings with the same points, channels, messages and
order. test_score_v2_golden.py compares today's engine with the reports the
engine gave when the file was written.

Regenerate the file ONLY when the contract itself changes on purpose (docs/score.md),
never to make a speed change pass: `python -m tests.domain.score_v2_golden`.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.maps import make_map
from desktop.domain import interchange
from desktop.domain.coherence import assess
from desktop.domain.findings import CoherenceReport
from desktop.domain.layers import LAYERS
from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo
from tests.domain import gtm_maps as g

GOLDEN = Path(__file__).with_name("score_v2_golden.json")
ROOT = Path(__file__).resolve().parents[2]
DIGEST_ONLY = 300  # maps with more channels are pinned by a digest of their report (the file stays small)
SPELLED_OUT = 12  # the first random maps are written out in full, the rest by digest

NAMES = ["Paid search", "Webinars", "LinkedIn Ads", "SDR team", "Lead scoring", "Attribution", "Clay",
         "GA4", "Win/loss", "AI SDR agent", "Partner referrals", "Account executives", "Straße Events",
         "ÉCOLE outreach", "Demandbase", "6sense intent"]  # fmt: skip
FUNCTIONS = ["", "", "sales", "sdr", "email", "intent-data", "Intent data", "lead-scoring", "lead routing",
             "enrichment", "account-matching", "attribution", "analytics", "dashboards", "partners",
             "onboarding", "checkout", "win-loss", "webinars", "chat", "events", "paid-search",
             "ai-sdr", "expansion", "pipeline-review", "experimentation", "sales-assist", "made-up"]  # fmt: skip
SEGMENTS = ["", "", "Mid-market", "Mid Market", "midmarket", "Enterprise", "Enterprise Tier 1", "SMB",
            " smb ", "Public sector"]  # fmt: skip
MESSAGES = ["", "", "Consolidate", "Consolidate: for CFOs", "consolidate — now", "Go live today",
            "AI tips", "Unify SecOps", "Unify SecOps for financial services", " Go live today "]  # fmt: skip
MOTIONS = ["", "sales-led", "ABM", "product-led", "partner-led", "PLG", "outbound", "Partner co-sell"]
TOOLS = ["", "", "HubSpot", "Salesforce", "Clay", "Paid", "Outreach", "Marketo"]
RULES = ["", "", "", "tbd", "TBD ", "n/a", "score >= 70", "SMB", "territory: west", "all"]
LABELS = ["", "", "", "offline conversions", " ICP refresh "]
SPENDS = [None, None, 0.0, -5.0, 300.0, 2500.0, 12000.0, 30000.0, 7000.5]
CURRENCIES = ["USD", "USD", "EUR", "CHF", "GBP"]


def random_map(seed: int, count: int, density: float = 2.0) -> ArchitectureMap:
    """A map with every field the rules read drawn from spellings that collide, fold and differ."""
    rng = random.Random(seed)
    channels = []
    for i in range(count):
        base = rng.choice(NAMES)
        name = f"{base} {i}" if rng.random() < 0.8 else f"  {base.upper()} {i} "
        channels.append(
            Channel(
                id=f"c{i}",
                name=name,
                layer=rng.choice(LAYERS),
                function=rng.choice(FUNCTIONS),
                tool=rng.choice(TOOLS + [base.split()[0]]),
                segment=rng.choice(SEGMENTS),
                motion=rng.choice(MOTIONS),
                message=rng.choice(MESSAGES),
                monthly_spend=rng.choice(SPENDS),
                automation=rng.choice(["", "", "", "ai"]),
                ord=i + 1,
            )
        )
    flows: dict[tuple[str, str], Flow] = {}
    for _ in range(int(density * count) if count > 1 else 0):
        a, b = rng.randrange(count), rng.randrange(count)
        if a != b and (f"c{a}", f"c{b}") not in flows:
            flows[(f"c{a}", f"c{b}")] = Flow(
                f"c{a}", f"c{b}", rng.choice(RULES), rng.choice(LABELS), len(flows) + 1
            )
    info = MapInfo(name=f"random {seed}", currency=rng.choice(CURRENCIES))
    return ArchitectureMap.build(channels, flows.values(), info)


def _file(path: Path) -> Callable[[], ArchitectureMap]:
    return lambda: interchange.loads(path.read_text(encoding="utf-8"))


def maps() -> dict[str, Callable[[], ArchitectureMap]]:
    """Every pinned map by a stable name."""
    found: dict[str, Callable[[], ArchitectureMap]] = {}
    for n in (0, 1, 4, 12, 40, 120, 500, 2000):
        found[f"bench-{n}"] = lambda n=n: make_map(n)  # type: ignore[misc]
    found["bench-500-seed3"] = lambda: make_map(500, seed=3)
    for key, build in g.MAPS.items():
        found[f"gtm-{key}"] = build
    for name in ("without_ai", "e_four_more_channels", "e_third_ai_sdr", "e_tbd_rules", "b_pass_through",
                 "b_ga4_loop", "b_three_more_duplicates", "c_loops_to_routing"):  # fmt: skip
        variant = getattr(g, name)
        found[f"gtm-{name}"] = (lambda v=variant: v(g.pipeforge())) if name == "without_ai" else variant
    found["sample"] = _file(ROOT / "resources" / "samples" / "sample.json")
    for path in sorted((ROOT / "resources" / "templates").glob("*.json")):
        found[f"template-{path.stem}"] = _file(path)
    for seed in range(120):
        found[f"random-{seed}"] = lambda seed=seed: random_map(seed, seed % 30, 1.0 + (seed % 4) * 0.7)
    for seed, count in ((1000, 150), (1001, 400), (1002, 400), (1003, 1500)):
        found[f"random-{seed}"] = lambda seed=seed, count=count: random_map(seed, count)
    return found


def written(report: CoherenceReport) -> dict[str, Any]:
    """Everything a report says, floats exact (JSON writes a float's repr, which reads back the same)."""
    return {
        "version": report.version,
        "score": report.score,
        "raw_score": report.raw_score,
        "components": dict(report.components),
        "weights": dict(report.weights),
        "drag": report.drag,
        "findings": [
            [
                f.rule,
                f.component,
                f.points,
                list(f.channel_ids),
                list(f.channels),
                f.message,
                f.amplified_by_ai,
            ]
            for f in report.findings
        ],
    }


def digest(entry: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(entry, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def spelled_out(name: str, arch: ArchitectureMap) -> bool:
    """Whether the golden file writes a map's report in full (readable in a diff) or as a digest."""
    if name.startswith("random-"):
        return int(name.split("-")[1]) < SPELLED_OUT
    return len(arch) <= DIGEST_ONLY


def pinned(name: str, arch: ArchitectureMap) -> Any:
    """What the golden file keeps for a map: its written report, or a digest of it."""
    entry = written(assess(arch))
    if not spelled_out(name, arch):
        return {"sha256": digest(entry), "score": entry["score"], "findings": len(entry["findings"])}
    return entry


def main() -> None:
    golden = {name: pinned(name, build()) for name, build in maps().items()}
    lines = [f"{json.dumps(name)}: {json.dumps(entry, ensure_ascii=False)}" for name, entry in golden.items()]
    GOLDEN.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")  # one map a line
    print(f"wrote {GOLDEN} ({GOLDEN.stat().st_size} bytes, {len(golden)} maps)")


if __name__ == "__main__":
    main()
