"""The window on contract 2: quick add infers the function and AI mark, the inspector marks a channel AI,
and the panel shows the alignment bar and amplified findings."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from desktop.app import MainWindow
from desktop.domain.coherence import COMPONENTS
from desktop.domain.layers import Layer
from tests.ui.helpers import new_map_file


def make_window(qtbot, path) -> MainWindow:
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def channel_named(window, name):
    found = window.session.map.channel_by_name(name)
    assert found is not None
    return found


def test_quick_add_infers_function_and_ai_from_the_catalog(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path))
    window.quick_add("AI SDR agent", Layer.EXECUTION)
    window.quick_add("LinkedIn Ads EMEA", Layer.CAPTURE)
    agent, ads = channel_named(window, "AI SDR agent"), channel_named(window, "LinkedIn Ads EMEA")
    assert (agent.function, agent.automation) == ("ai-sdr", "ai")
    assert (ads.function, ads.automation) == ("paid-social", "")


def test_the_inspector_marks_a_channel_ai_and_the_score_follows(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    sdr = channel_named(window, "SDR outreach")
    window.scene.select_channels([sdr.id])
    box = window.inspector.findChild(QCheckBox, "field-automation")
    assert box is not None and not box.isChecked()
    before = window.session.report.score
    box.setChecked(True)
    assert channel_named(window, "SDR outreach").automation == "ai"
    assert window.session.repository.load().channel(sdr.id).automation == "ai"  # in the file
    report = window.session.report
    assert report.score <= before
    assert any(f.amplified_by_ai for f in report.findings if sdr.id in f.channel_ids)
    window.session.undo_stack.undo()
    assert channel_named(window, "SDR outreach").automation == ""


def test_the_panel_draws_a_bar_per_contract_component(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    window.coherence.ensure_charts()
    chart = window.coherence.component_chart
    assert len(chart.values()) == len(COMPONENTS) == 6 and "alignment" in COMPONENTS
    assert chart.texts()[COMPONENTS.index("alignment")].endswith("/ 10")


def test_one_caption_for_one_score_in_the_panel_present_mode_and_the_export(qtbot, tmp_path):
    from PySide6.QtWidgets import QLabel

    from desktop.canvas.theme import score_band
    from desktop.domain import score_presentation

    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    score = window.session.report.score
    caption = score_presentation.caption(score)
    assert window.findChild(QLabel, "scoreBand").text() == caption == score_band(score)
    window.actions_by_name["present"].trigger()
    mode = window.present_mode
    assert mode.bar.caption.text().startswith(caption)
    mode.leave()
