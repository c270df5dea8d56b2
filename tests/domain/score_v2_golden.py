"""The maps whose contract-2 reports are pinned in score_v2_golden.json, and how a report is written there.

Why: the engine is tuned for speed (it runs on the UI thread after every
edit), and a faster engine must give the very same reports: the same score to
the last bit, the same findings with the same points, channels, messages and
order. test_score_v2_golden.py compares today's engine with the reports the
engine gave when the file was written.

The maps that come from elsewhere (the benchmark maps, which read the catalog;
tests/domain/gtm_maps.py; the sample and templates) are frozen as plain data in
score_v2_golden_maps.json.gz, so that other work changing those files never
breaks this test; the random maps are made here from their seeds.

Regenerate the reports ONLY when the contract itself changes on purpose (docs/score.md),
never to make a speed change pass: `python -m tests.domain.score_v2_golden`
(`--refreeze` also freezes the maps again from their sources).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.maps import make_map
from desktop.domain import interchange
from desktop.domain.coherence import assess
from desktop.domain.findings import CoherenceReport
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo
from tests.domain import gtm_maps as g

GOLDEN = Path(__file__).with_name("score_v2_golden.json")
INPUTS = Path(__file__).with_name("score_v2_golden_maps.json.gz")  # the maps not made here, frozen
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


def sources() -> dict[str, Callable[[], ArchitectureMap]]:
    """The maps that come from files and generators other work may change (the benchmark maps, which
    read the catalog; the realistic maps; the sample and the templates): read only to freeze them."""
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
    return found


_CHANNEL_FIELDS = tuple(Channel.__dataclass_fields__)


def frozen(arch: ArchitectureMap) -> dict[str, Any]:
    """A map as plain data that depends on nothing but the model (not on interchange or the catalog)."""
    defaults = Channel(id="", name="", layer=LAYERS[0])
    return {
        "currency": arch.info.currency,
        "channels": [
            {key: getattr(c, key) for key in _CHANNEL_FIELDS if getattr(c, key) != getattr(defaults, key)}
            | {"layer": c.layer.value}
            for c in arch.channels
        ],
        "flows": [[f.source, f.target, f.rule, f.label, f.ord] for f in arch.flows],
    }


def thawed(entry: dict[str, Any]) -> ArchitectureMap:
    channels = [Channel(**(fields | {"layer": Layer(fields["layer"])})) for fields in entry["channels"]]
    flows = [Flow(*row) for row in entry["flows"]]
    return ArchitectureMap.build(channels, flows, MapInfo(currency=entry["currency"]))


def frozen_inputs() -> dict[str, dict[str, Any]]:
    with gzip.open(INPUTS, "rt", encoding="utf-8") as f:
        return json.load(f)  # type: ignore[no-any-return]


def maps() -> dict[str, Callable[[], ArchitectureMap]]:
    """Every pinned map by a stable name: the frozen inputs, and random maps made here."""
    found: dict[str, Callable[[], ArchitectureMap]] = {
        name: (lambda entry=entry: thawed(entry)) for name, entry in frozen_inputs().items()
    }
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


def main(refreeze: bool = False) -> None:
    if refreeze or not INPUTS.exists():
        inputs = {name: frozen(build()) for name, build in sources().items()}
        data = json.dumps(inputs, ensure_ascii=False, separators=(",", ":")).encode()
        with gzip.GzipFile(INPUTS, "wb", compresslevel=9, mtime=0) as f:  # the same bytes every time
            f.write(data)
        print(f"froze {len(inputs)} maps into {INPUTS} ({INPUTS.stat().st_size} bytes)")
    golden = {name: pinned(name, build()) for name, build in maps().items()}
    lines = [f"{json.dumps(name)}: {json.dumps(entry, ensure_ascii=False)}" for name, entry in golden.items()]
    GOLDEN.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")  # one map a line
    print(f"wrote {GOLDEN} ({GOLDEN.stat().st_size} bytes, {len(golden)} maps)")


if __name__ == "__main__":
    main(refreeze="--refreeze" in sys.argv)
