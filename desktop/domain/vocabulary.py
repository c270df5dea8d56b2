"""The words contract 2 reads (docs/score.md): channel functions, segments, placeholder rules, AI, money.

Why a module of its own: the score's rules key on what a channel *does*, so
the contract defines a function vocabulary, the catalog covers it (a test
checks), quick add infers a function from a catalog name, and the importers
read the `automation` column with the same words. Keeping the words here lets
all of them agree without importing the engine.
"""

from __future__ import annotations

import re
from functools import lru_cache

from desktop.domain.model import AI, fold

# --- functions ----------------------------------------------------------------------------------
# The function vocabulary of contract 2, by the layer a channel of that function usually sits in.
FUNCTIONS: dict[str, tuple[str, ...]] = {
    "capture": (
        "paid-search", "paid-social", "organic", "webinars", "events", "chat", "intent-data",
        "review-sites", "signup", "product-analytics", "community", "prospect-data", "visitor-id",
        "marketplace", "content-generation",
    ),
    "routing": ("lead-scoring", "lead-routing", "account-matching", "enrichment", "lead-qualification"),
    "execution": (
        "sdr", "email", "abm", "sales", "sales-assist", "partners", "onboarding", "in-app", "checkout",
        "expansion", "direct-mail", "ai-sdr", "gifting",
    ),
    "feedback": (
        "attribution", "win-loss", "pipeline-review", "revenue-analytics", "surveys", "analytics",
        "dashboards", "experimentation", "conversation-intelligence",
    ),
}  # fmt: skip
VOCABULARY: frozenset[str] = frozenset(f for names in FUNCTIONS.values() for f in names)

# Common spellings of the same function, so "Intent data", "intent" and "intent-data" are one function.
SYNONYMS: dict[str, str] = {
    "intent": "intent-data", "seo": "organic", "content": "organic", "content-seo": "organic",
    "webinar": "webinars", "event": "events", "trade-shows": "events", "field-events": "events",
    "scoring": "lead-scoring", "pql-scoring": "lead-scoring", "routing": "lead-routing",
    "assignment": "lead-routing", "matching": "account-matching", "nurture": "email",
    "email-nurture": "email", "sdr-outreach": "sdr", "outbound": "sdr", "ae": "sales", "aes": "sales",
    "account-executives": "sales", "partner": "partners", "partner-referrals": "partners",
    "customer-success": "expansion", "csm": "expansion", "in-app-messaging": "in-app",
    "win/loss": "win-loss", "winloss": "win-loss", "dashboard": "dashboards", "reporting": "dashboards",
    "web-analytics": "analytics", "ab-testing": "experimentation", "a/b-testing": "experimentation",
    "experiments": "experimentation", "call-recording": "conversation-intelligence",
    "deal-intelligence": "conversation-intelligence", "plg-sales-assist": "sales-assist",
    "pls": "sales-assist", "ai-sdr-agent": "ai-sdr", "qualification": "lead-qualification",
}  # fmt: skip

# The groups of functions the rules read.
REVENUE_EXECUTION = frozenset({"sales", "sales-assist", "checkout", "expansion"})  # a deal or a payment
CUSTOMER_STAGE = frozenset({"onboarding", "in-app", "checkout", "expansion"})  # talks to customers
INLINE_ROUTING = frozenset({"enrichment", "account-matching"})  # a step before the decision
DECIDING_ROUTING = frozenset({"lead-scoring", "lead-routing", "lead-qualification"})
REVENUE_FEEDBACK = frozenset({"attribution", "win-loss", "pipeline-review", "revenue-analytics"})
TARGETING_FEEDBACK = frozenset({"attribution", "analytics", "dashboards", "pipeline-review"})

_SEPARATORS = re.compile(r"[\s_]+")


@lru_cache(maxsize=8192)
def function_key(function: str) -> str:
    """A function as the rules compare it: folded, spaces as hyphens, synonyms resolved ("" is blank)."""
    key = _SEPARATORS.sub("-", fold(function)).replace("&", "").strip("-")
    key = re.sub(r"-{2,}", "-", key)
    return SYNONYMS.get(key, key)


# --- segments, rules, messages, motions ------------------------------------------------------------
_NOT_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=8192)
def segment_key(segment: str) -> str:
    """ "Mid Market", "Mid-market" and "midmarket" are one segment."""
    return _NOT_ALNUM.sub("", fold(segment))


def segments_match(a: str, b: str) -> bool:
    """Two segment keys match when equal or when one starts with the other ("enterprise" ⊂ "enterprisetier1")."""
    return a.startswith(b) or b.startswith(a)


PLACEHOLDER_RULES = frozenset(
    {"tbd", "todo", "?", "-", "na", "n/a", "none", "all", "any", "default", "everything", "tba", "..."}
)


@lru_cache(maxsize=8192)
def real_rule(rule: str) -> bool:
    """A rule that says something: not blank and not a placeholder such as "tbd"."""
    key = fold(rule)
    return bool(key) and key not in PLACEHOLDER_RULES


_MESSAGE_SPLIT = re.compile(r":| [—–-] ")


@lru_cache(maxsize=8192)
def message_key(message: str) -> str:
    """The narrative of a message: the folded text before the first ":" or dash, so variants agree."""
    return _MESSAGE_SPLIT.split(fold(message), maxsplit=1)[0].strip()


MOTION_SYNONYMS: dict[str, str] = {
    "abm": "sales-led", "account-based": "sales-led", "account based": "sales-led",
    "outbound": "sales-led", "autonomous outbound": "sales-led", "sales led": "sales-led",
    "pls": "product-led sales", "sales-assist": "product-led sales", "sales assist": "product-led sales",
    "product led": "product-led", "plg": "product-led",
}  # fmt: skip


@lru_cache(maxsize=8192)
def motion_key(motion: str) -> str:
    key = fold(motion)
    return MOTION_SYNONYMS.get(key, key)


# --- AI and money ----------------------------------------------------------------------------------
AI_WORDS = frozenset({"ai", "yes", "true", "x", "1", "y"})
NOT_AI_WORDS = frozenset({"", "no", "false", "0", "n", "-", "none", "human"})


AI_DEFINITION = (
    "AI means the channel acts or decides through AI without a person approving each action "
    "(an AI SDR agent, an AI chatbot that books meetings, a GPT qualification step)."
)  # docs/score.md, "Inputs": the inspector's help on the automation checkbox


def parse_automation(value: object) -> str:
    """A cell or JSON value as `automation`: "ai" or "". Raises ValueError on anything else."""
    if value is None or value is False:
        return ""
    if value is True:
        return AI
    key = fold(str(value))
    if key in AI_WORDS:
        return AI
    if key in NOT_AI_WORDS:
        return ""
    raise ValueError(
        f"automation must be ai or blank (ai, yes, true, x or 1 mean AI), not {str(value)[:40]!r}"
    )


_CURRENCY = re.compile(r"^[A-Z]{3}$")
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def parse_currency(value: object) -> str:
    """An ISO 4217 code, upper case ("" or None give USD). Raises ValueError on anything else."""
    text = str(value or "").strip().upper() or "USD"
    if not _CURRENCY.match(text):
        raise ValueError(
            f"currency must be a three-letter ISO 4217 code such as USD or EUR, not {text[:20]!r}"
        )
    return text


def stored_currency(value: object) -> str:
    """A currency a store kept, or USD when it is missing or not a valid code (it only labels amounts)."""
    try:
        return parse_currency(value if isinstance(value, str) else "")
    except ValueError:
        return "USD"


def currency_symbol(currency: str) -> str:
    """The sign a currency is written with ("$", "€"), else its code ("CHF")."""
    return _SYMBOLS.get(currency, currency)


def money(amount: float, currency: str = "USD") -> str:
    """An amount a marketing lead reads at a glance: "$12,000", "€1,200", "12,000 CHF"."""
    whole = f"{round(amount):,}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{whole}" if symbol else f"{whole} {currency}"
