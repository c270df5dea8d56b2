"""The catalog covers contract 2's function vocabulary; AI channel types come marked; quick add infers."""

from __future__ import annotations

import pytest

from desktop.domain.catalog import default_catalog
from desktop.domain.vocabulary import FUNCTIONS, function_key, parse_automation, parse_currency


def test_every_function_of_the_vocabulary_has_a_catalog_entry_in_its_layer():
    catalog = default_catalog()
    for layer, functions in FUNCTIONS.items():
        for function in functions:
            entry = catalog.by_function(function)
            assert entry is not None, function
            assert any(e.layer.value == layer and e.function == function for e in catalog.entries), function


def test_catalog_functions_are_vocabulary_words():
    words = {f for functions in FUNCTIONS.values() for f in functions}
    assert {function_key(e.function) for e in default_catalog().entries} <= words


@pytest.mark.parametrize("name", ["AI SDR agent", "AI chatbot", "AI content", "AI lead qualification"])
def test_ai_channel_types_come_marked(name):
    assert default_catalog().by_name(name).automation == "ai"


def test_only_ai_types_are_marked():
    marked = {e.name for e in default_catalog().entries if e.automation}
    assert marked == {"AI SDR agent", "AI chatbot", "AI content", "AI lead qualification"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("LinkedIn Ads", "LinkedIn Ads"),
        ("linkedin ads EMEA", "LinkedIn Ads"),
        ("Our AI SDR agent", "AI SDR agent"),
        ("Q3 webinars", "Webinars"),
        ("Gong", None),
    ],
)
def test_quick_add_infers_the_entry_from_a_name(typed, expected):
    found = default_catalog().infer(typed)
    assert (found.name if found else None) == expected


def test_function_synonyms_and_spellings():
    assert function_key(" Intent data ") == function_key("intent") == "intent-data"
    assert function_key("Email nurture") == "email"


def test_automation_and_currency_words():
    assert parse_automation("Yes") == "ai" and parse_automation(None) == ""
    with pytest.raises(ValueError):
        parse_automation("maybe")
    assert parse_currency("") == "USD" and parse_currency("eur") == "EUR"
    with pytest.raises(ValueError):
        parse_currency("€")
