"""Money and grouping in the views: a rule repeating more than three times is one headline with its
channels beneath (panel, present mode), with the spend in the map's currency; the JSON stays flat.
And one caption for one score in the panel, present mode, the export and the compare dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.app import MainWindow
from desktop.domain.edits import AddChannel, AddFlow, Edit
from desktop.domain.layers import Layer
from desktop.domain.model import Channel, Flow
from tests.ui.helpers import new_map_file

ADS = ["Google Ads", "Bing Ads", "LinkedIn Ads", "Meta Ads", "Reddit Ads"]
FUNCTIONS = ["paid-search", "review-sites", "paid-social", "organic", "community"]
SPENDS = [30000, 20000, 25000, 12000, 8700]


def leaky_map() -> list[Edit]:
    """Five capture channels straight to the SDR team, bypassing lead scoring ($95,700/month)."""
    channels = [
        Channel(f"c{i}", name, Layer.CAPTURE, FUNCTIONS[i], monthly_spend=SPENDS[i], ord=i + 1)
        for i, name in enumerate(ADS)
    ]
    channels += [
        Channel("s", "Lead scoring", Layer.ROUTING, "lead-scoring", ord=10),
        Channel("sdr", "SDR team", Layer.EXECUTION, "sdr", segment="Mid-market", ord=11),
        Channel("a", "Attribution", Layer.FEEDBACK, "attribution", ord=12),
    ]
    flows = [(f"c{i}", "sdr") for i in range(5)] + [("s", "sdr"), ("sdr", "a"), ("a", "s")]
    return [AddChannel(c) for c in channels] + [
        AddFlow(Flow(s, t, ord=i + 1)) for i, (s, t) in enumerate(flows)
    ]


def make_window(qtbot, path) -> MainWindow:
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_repeated_rule_reads_as_one_headline_with_its_channels_and_their_spend(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path))
    assert window.session.perform("Build", leaky_map())
    report = window.session.report
    assert sum(f.rule == "unrouted-signal" for f in report.findings) == 5
    assert sum(e["rule"] == "unrouted-signal" for e in report.to_dict()["findings"]) == 5  # JSON flat
    findings = window.coherence.findings
    grouped = [row for row in findings.rows if row.grouped]
    assert len(grouped) == 1
    money = window.coherence.money_format()(95700)
    assert "95" in money and "700" in money
    headline = f"5 capture channels bypass routing ({money}/month)"
    row = findings.rows.index(grouped[0])
    text = findings.item(row).text()
    assert headline in text
    assert all(f"\u2022 {name}" in text for name in ADS)  # its channels beneath
    assert "\u2022 SDR team" not in text  # the channel every one of them reaches is not listed
    assert findings.count() == len(report.findings) - 4

    window.actions_by_name["present"].trigger()
    mode = window.present_mode
    mode.spotlight.open()
    strip = mode.spotlight.strip
    top = strip.rows[0]  # the headline sums its findings' points: it leads
    assert top.text().startswith("\u221225.0   5 capture channels bypass routing")
    assert headline in top.toolTip() and "Reddit Ads" in top.toolTip().split(headline)[1]
    assert len(top.text().splitlines()) == 2  # the channels beneath
    assert set(strip.findings[0].channel_ids) == {f"c{i}" for i in range(5)} | {"sdr"}
    mode.leave()


def test_one_caption_for_one_score_in_panel_present_export_and_compare(qtbot, tmp_path):
    from desktop.domain import score_presentation
    from desktop.io.images import export_map

    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    report = window.session.report
    caption = score_presentation.caption(report.score)
    assert window.findChild(QLabel, "scoreBand").text() == caption
    window.actions_by_name["present"].trigger()
    assert window.present_mode.bar.caption.text().startswith(caption)
    window.present_mode.leave()
    svg = export_map(window.session.map, tmp_path / "map.svg", report=report).read_text(encoding="utf-8")
    assert f"{caption} · coherence score" in svg
    window.scenarios.save("As-is", "")
    dialog = window.scenarios.open_compare(("version", "As-is"))
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(caption in text for text in texts)
    others = {b.caption for b in score_presentation.BANDS} - {caption}
    assert not any(other in text for text in texts for other in others)


def test_the_before_after_slide_groups_resolved_findings(qtbot, tmp_path):
    import subprocess

    from desktop.domain.edits import AddFlow as Add
    from desktop.domain.edits import apply_all
    from desktop.domain.model import ArchitectureMap
    from desktop.io.comparison_image import SlideSide, export_comparison

    before = ArchitectureMap()
    apply_all(before, leaky_map())
    after = ArchitectureMap()
    apply_all(after, leaky_map() + [Add(Flow(f"c{i}", "s", ord=20 + i)) for i in range(5)])
    pdf = export_comparison(SlideSide(before, "As-is"), SlideSide(after, "Plan"), tmp_path / "slide.pdf")
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "5 capture channels bypass routing ($95,700/month): Google Ads" in text
