"""Spend, leads and cost per lead per layer, with unknown numbers kept apart from zero."""

from __future__ import annotations

import pytest

from desktop.domain.economics import LayerEconomics, layer_economics, total
from desktop.domain.layers import LAYERS
from desktop.domain.model import ArchitectureMap
from tests.domain.test_coherence import CAPTURE, EXECUTION, ROUTING, build, ch


def test_rows_per_layer_sum_known_numbers_and_count_unknown_ones():
    arch = build(
        [
            ch("Paid search", CAPTURE, monthly_spend=12000.0, leads_per_month=340.0),
            ch("Webinars", CAPTURE, monthly_spend=3000.0, leads_per_month=60.0),
            ch("Events", CAPTURE, leads_per_month=0.0),
            ch("Lead scoring", ROUTING, monthly_spend=800.0),
            ch("SDR outreach", EXECUTION),
        ]
    )
    rows = layer_economics(arch)
    assert [row.layer for row in rows] == list(LAYERS)
    capture, routing, execution, feedback = rows
    assert capture == LayerEconomics(CAPTURE, 3, 15000.0, 400.0, 37.5, 1, 0)
    assert routing.spend == 800.0 and routing.leads is None and routing.cost_per_lead is None
    assert (routing.spend_unknown, routing.leads_unknown) == (0, 1)
    assert execution == LayerEconomics(EXECUTION, 1, None, None, None, 1, 1)
    assert feedback.channels == 0 and feedback.spend is None and feedback.complete
    assert not capture.complete
    assert capture.title == "Signal capture"


def test_zero_is_a_known_number_and_zero_leads_give_no_cost_per_lead():
    arch = build([ch("Podcast", CAPTURE, monthly_spend=0.0, leads_per_month=0.0)])
    row = layer_economics(arch)[0]
    assert row.spend == 0.0 and row.leads == 0.0
    assert row.cost_per_lead is None
    assert row.spend_unknown == row.leads_unknown == 0


def test_total_row():
    arch = build(
        [
            ch("Paid search", CAPTURE, monthly_spend=12000.0, leads_per_month=300.0),
            ch("Lead scoring", ROUTING, monthly_spend=3000.0),
            ch("SDR outreach", EXECUTION),
        ]
    )
    row = total(layer_economics(arch))
    assert row.layer is None and row.title == "Total"
    assert row.channels == 3
    assert row.spend == 15000.0 and row.leads == 300.0
    assert row.cost_per_lead == pytest.approx(50.0)
    assert (row.spend_unknown, row.leads_unknown) == (1, 2)


def test_empty_map():
    rows = layer_economics(ArchitectureMap())
    assert all(row.channels == 0 and row.spend is None and row.leads is None for row in rows)
    assert total(rows) == LayerEconomics(None, 0, None, None, None, 0, 0)
