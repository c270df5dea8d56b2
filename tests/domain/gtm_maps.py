"""Five realistic go-to-market maps, modelled on the maps of shared/score-v2-evaluation.md, and their variants.

They are the acceptance cases of contract 2 (docs/score.md): a healthy mid-market
sales-led stack (a), channel accumulation after an acquisition (b), product-led
growth (c), an enterprise ABM programme (d) and an AI-heavy stack on an
incoherent base (e). Names, tools, segments and spend are what such companies
run; each map's findings were read as a marketing lead reads them
(test_score_v2_maps.py checks their order and the findings at the top).
"""

from __future__ import annotations

from dataclasses import replace

from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo

C, R, X, F = Layer.CAPTURE, Layer.ROUTING, Layer.EXECUTION, Layer.FEEDBACK

# name, layer, function, tool, segment, motion, message, monthly spend, automation
Row = tuple[str, Layer, str, str, str, str, str, float | None, str]
# source, target, rule, label
Link = tuple[str, str, str, str]


def build(name: str, rows: list[Row], links: list[Link], currency: str = "USD") -> ArchitectureMap:
    channels = [
        Channel(
            id=f"c{i}",
            name=n,
            layer=layer,
            function=function,
            tool=tool,
            segment=segment,
            motion=motion,
            message=message,
            monthly_spend=spend,
            automation=ai,
            ord=i,
        )
        for i, (n, layer, function, tool, segment, motion, message, spend, ai) in enumerate(rows, start=1)
    ]
    ids = {c.name: c.id for c in channels}
    flows = [
        Flow(ids[source], ids[target], rule, label, i)
        for i, (source, target, rule, label) in enumerate(links, 1)
    ]
    return ArchitectureMap.build(channels, flows, MapInfo(name=name, currency=currency))


def flows(*pairs: str | tuple[str, ...]) -> list[Link]:
    """Links from "A > B" strings or (source, target, rule, label) tuples."""
    found: list[Link] = []
    for pair in pairs:
        if isinstance(pair, str):
            source, target = (part.strip() for part in pair.split(">"))
            found.append((source, target, "", ""))
        else:
            source, target, *rest = pair
            found.append((source, target, rest[0] if rest else "", rest[1] if len(rest) > 1 else ""))
    return found


# --- (a) Northwind HR Cloud: healthy mid-market, sales-led ------------------------------------------
NW_PROMISE = "Cut new-hire onboarding time in half"
MM = "Mid-market"


def northwind() -> ArchitectureMap:
    rows: list[Row] = [
        ("Google Ads", C, "paid-search", "Google Ads", MM, "sales-led", NW_PROMISE, 28000, ""),
        ("LinkedIn Ads", C, "paid-social", "LinkedIn Campaign Manager", MM, "sales-led", NW_PROMISE, 22000, ""),
        ("Content & SEO", C, "organic", "HubSpot CMS", MM, "sales-led", NW_PROMISE, 9000, ""),
        ("Zoom webinars", C, "webinars", "Zoom Webinars", MM, "sales-led", NW_PROMISE, 4000, ""),
        ("Trade shows", C, "events", "SHRM, HR Tech", MM, "sales-led", NW_PROMISE, 18000, ""),
        ("G2 buyer intent", C, "review-sites", "G2", MM, "sales-led", "", 3000, ""),
        ("Bombora intent", C, "intent-data", "Bombora", MM, "sales-led", "", 4500, ""),
        ("Qualified chat", C, "chat", "Qualified", MM, "sales-led", NW_PROMISE, 3500, ""),
        ("ZoomInfo FormComplete", R, "enrichment", "ZoomInfo", "", "", "", 2500, ""),
        ("HubSpot lead scoring", R, "lead-scoring", "HubSpot", "", "", "", None, ""),
        ("LeanData routing", R, "lead-routing", "LeanData", "", "", "", 2000, ""),
        ("SDR team", X, "sdr", "Outreach", MM, "sales-led", NW_PROMISE, 12000, ""),
        ("HubSpot nurture", X, "email", "HubSpot", MM, "sales-led", NW_PROMISE, 1500, ""),
        ("Account executives", X, "sales", "Salesforce", MM, "sales-led", NW_PROMISE, None, ""),
        ("Partner referrals", X, "partners", "PartnerStack", MM, "partner-led", NW_PROMISE, 4000, ""),
        ("Customer expansion", X, "expansion", "Gainsight", MM, "sales-led", "Roll it out to every team", None, ""),
        ("Closed-loop attribution", F, "attribution", "HubSpot attribution", "", "", "", 1500, ""),
        ("Gong call insights", F, "conversation-intelligence", "Gong", "", "", "", 2500, ""),
        ("Clozd win/loss", F, "win-loss", "Clozd", "", "", "", 2000, ""),
        ("Clari pipeline review", F, "pipeline-review", "Clari", "", "", "", 2000, ""),
    ]  # fmt: skip
    capture = [r[0] for r in rows if r[1] is C]
    links = flows(
        *(f"{name} > ZoomInfo FormComplete" for name in capture),
        "ZoomInfo FormComplete > HubSpot lead scoring",
        "HubSpot lead scoring > LeanData routing",
        (
            "LeanData routing",
            "SDR team",
            "new MQL, 200–2,000 employees: round robin by territory, 15-min SLA",
        ),
        ("LeanData routing", "HubSpot nurture", "score < 50 or not ICP: nurture track"),
        ("LeanData routing", "Account executives", "account has an open opportunity: to its owner"),
        "SDR team > Account executives",
        "Partner referrals > Account executives",
        "Account executives > Customer expansion",
        "SDR team > Closed-loop attribution",
        "HubSpot nurture > Closed-loop attribution",
        "Account executives > Closed-loop attribution",
        "Partner referrals > Closed-loop attribution",
        "Account executives > Gong call insights",
        "Account executives > Clozd win/loss",
        "Account executives > Clari pipeline review",
        "Customer expansion > Clari pipeline review",
        ("Closed-loop attribution", "Google Ads", "", "offline conversions"),
        ("Closed-loop attribution", "LinkedIn Ads", "", "offline conversions"),
        ("Closed-loop attribution", "HubSpot lead scoring", "", "scoring recalibration"),
        ("Gong call insights", "Content & SEO", "", "objections and call themes"),
        ("Clozd win/loss", "HubSpot lead scoring", "", "ICP fit"),
        ("Clari pipeline review", "LeanData routing", "", "territory changes"),
    )
    return build("Northwind HR Cloud", rows, links)


# --- (b) Datastream: channel accumulation after an acquisition --------------------------------------
DS_A = "The modern data stack, simplified"
DS_B = "Ship pipelines 10x faster"


def datastream() -> ArchitectureMap:
    rows: list[Row] = [
        ("Google Ads", C, "paid-search", "Google Ads", MM, "sales-led", DS_A, 30000, ""),
        ("LinkedIn lead-gen forms", C, "paid-social", "LinkedIn", "Enterprise", "sales-led", DS_A, 32000, ""),
        ("Trade shows", C, "events", "Snowflake Summit, dbt Coalesce", "Enterprise", "sales-led", DS_A, 30000, ""),
        ("Capterra PPC", C, "review-sites", "Capterra", "SMB", "sales-led", DS_B, 8000, ""),
        ("Zoom webinars", C, "webinars", "Zoom Webinars", "Mid Market", "sales-led", DS_B, 1200, ""),
        ("ON24 webinars", C, "webinars", "ON24", MM, "sales-led", "Join our next webinar", 6000, ""),
        ("Drift chat", C, "chat", "Drift", "", "sales-led", "", 2500, ""),
        ("6sense intent", C, "intent-data", "6sense", "Enterprise", "ABM", "", 9000, ""),
        ("Bombora intent", C, "intent-data", "Bombora", "", "", "", 4500, ""),
        ("G2 buyer intent", C, "intent-data", "G2", "", "", "", 2500, ""),
        ("Content & SEO", C, "organic", "WordPress", MM, "sales-led", DS_A, 6000, ""),
        ("ZoomInfo", R, "enrichment", "ZoomInfo", "", "", "", 3500, ""),
        ("Clearbit", R, "enrichment", "Clearbit", "", "", "", 1500, ""),
        ("Marketo lead scoring", R, "lead-scoring", "Marketo", "", "", "", 4000, ""),
        ("SDR team A", X, "sdr", "Outreach", MM, "sales-led", DS_A, 14000, ""),
        ("SDR team B", X, "sdr", "Salesloft", "Mid Market", "sales-led", DS_B, 12000, ""),
        ("Account executives", X, "sales", "Salesforce", "", "sales-led", "Product updates", None, ""),
        ("Mailchimp newsletter", X, "email", "Mailchimp", "", "", "Product updates", 300, ""),
        ("Marketo email", X, "email", "Marketo", MM, "sales-led", "Join our next webinar", 2000, ""),
        ("6sense display ads", X, "abm", "6sense", "Enterprise", "ABM", DS_A, 4000, ""),
        ("Direct mail", X, "direct-mail", "Sendoso", "Enterprise", "ABM", "", 3000, ""),
        ("GA4", F, "analytics", "Google Analytics 4", "", "", "", None, ""),
        ("Monthly board pipeline slide", F, "dashboards", "Google Slides", "", "", "", None, ""),
    ]  # fmt: skip
    links = flows(
        "LinkedIn lead-gen forms > SDR team A",
        "Trade shows > SDR team A",
        "Capterra PPC > SDR team B",
        "Drift chat > Account executives",
        "G2 buyer intent > Account executives",
        "6sense intent > 6sense display ads",
        "Google Ads > Marketo lead scoring",
        "Content & SEO > Marketo lead scoring",
        "ON24 webinars > Marketo lead scoring",
        "Zoom webinars > SDR team B",
        "Marketo lead scoring > SDR team A",
        "Marketo lead scoring > Marketo email",
        "SDR team A > Account executives",
        "SDR team B > Account executives",
        "Account executives > Monthly board pipeline slide",
        "Marketo email > GA4",
    )
    return build("Datastream", rows, links)


# --- (c) Canvasly: product-led growth ---------------------------------------------------------------
CV_LIVE = "Get your team's first project live today"
CV_UPGRADE = "Unlock unlimited projects"


def canvasly() -> ArchitectureMap:
    rows: list[Row] = [
        ("Content & SEO", C, "organic", "Webflow", "Teams", "product-led", CV_LIVE, 12000, ""),
        ("Template gallery & community", C, "community", "Circle", "Teams", "product-led", CV_LIVE, 4000, ""),
        ("Invite loop", C, "referral", "in product", "Teams", "product-led", CV_LIVE, None, ""),
        ("Google Ads", C, "paid-search", "Google Ads", "Teams", "product-led", CV_LIVE, 30000, ""),
        ("Free signups", C, "signup", "Canvasly app", "Teams", "product-led", CV_LIVE, None, ""),
        ("Segment usage events", C, "product-analytics", "Segment", "", "", "", 2500, ""),
        ("Clearbit enrichment", R, "enrichment", "Clearbit", "", "", "", 1500, ""),
        ("Pocus account matching", R, "account-matching", "Pocus", "", "", "", 1200, ""),
        ("Pocus PQL scoring", R, "lead-scoring", "Pocus", "", "", "", 1800, ""),
        ("Appcues onboarding", X, "onboarding", "Appcues", "Teams", "product-led", CV_LIVE, 1500, ""),
        ("Customer.io lifecycle email", X, "email", "Customer.io", "Teams", "product-led", CV_LIVE, 1000, ""),
        ("Intercom upgrade prompts", X, "in-app", "Intercom", "Teams", "product-led", CV_UPGRADE, 1500, ""),
        ("Stripe checkout", X, "checkout", "Stripe", "Teams", "product-led", CV_UPGRADE, None, ""),
        ("Sales assist", X, "sales-assist", "Salesforce", MM, "product-led sales", "Add every department", 9000, ""),
        ("Enterprise AEs", X, "sales", "Salesforce", "Enterprise", "sales-led", "Roll Canvasly out company-wide",
         None, ""),
        ("Customer success", X, "expansion", "Vitally", MM, "product-led sales", "Add every department", 3000, ""),
        ("Mixpanel", F, "analytics", "Mixpanel", "", "", "", 2000, ""),
        ("ChartMogul", F, "revenue-analytics", "ChartMogul", "", "", "", 500, ""),
        ("Statsig experiments", F, "experimentation", "Statsig", "", "", "", 1500, ""),
        ("Sprig in-app surveys", F, "surveys", "Sprig", "", "", "", 800, ""),
    ]  # fmt: skip
    links = flows(
        "Content & SEO > Free signups",
        "Template gallery & community > Free signups",
        "Invite loop > Free signups",
        "Google Ads > Free signups",
        "Free signups > Clearbit enrichment",
        "Segment usage events > Pocus account matching",
        "Clearbit enrichment > Pocus account matching",
        "Pocus account matching > Pocus PQL scoring",
        ("Pocus PQL scoring", "Appcues onboarding", "every new workspace"),
        ("Pocus PQL scoring", "Customer.io lifecycle email", "not activated by day 3"),
        ("Pocus PQL scoring", "Intercom upgrade prompts", "hit a free-plan limit"),
        ("Pocus PQL scoring", "Sales assist", "PQL ≥ 80 and 200+ employees"),
        ("Pocus PQL scoring", "Enterprise AEs", "3+ workspaces on one domain or 1,000+ employees"),
        "Intercom upgrade prompts > Stripe checkout",
        "Sales assist > Customer success",
        "Enterprise AEs > Customer success",
        "Appcues onboarding > Mixpanel",
        "Customer.io lifecycle email > Mixpanel",
        "Intercom upgrade prompts > Mixpanel",
        "Appcues onboarding > Statsig experiments",
        "Stripe checkout > ChartMogul",
        "Sales assist > ChartMogul",
        "Enterprise AEs > ChartMogul",
        "Customer success > Sprig in-app surveys",
        ("Mixpanel", "Pocus PQL scoring", "", "activation events"),
        ("ChartMogul", "Pocus PQL scoring", "", "paid conversion labels"),
        ("Statsig experiments", "Appcues onboarding", "", "winning onboarding variant"),
        ("Sprig in-app surveys", "Customer success", "", "detractors to call"),
    )
    return build("Canvasly", rows, links)


# --- (d) Sentinel Security: enterprise ABM ------------------------------------------------------------
ST = "Unify SecOps: one console for every alert"
T1, T2, ENT = "Enterprise Tier 1", "Enterprise Tier 2", "Enterprise"


def sentinel() -> ArchitectureMap:
    rows: list[Row] = [
        ("ICP target account list", C, "prospect-data", "Salesforce", ENT, "ABM", "", None, ""),
        ("6sense intent and buying stage", C, "intent-data", "6sense", ENT, "ABM", ST, 12000, ""),
        ("Visitor identification", C, "visitor-id", "6sense", ENT, "ABM", ST, 2000, ""),
        ("LinkedIn matched audiences", C, "paid-social", "LinkedIn", ENT, "ABM", ST, 35000, ""),
        ("Executive dinners", C, "events", "Splash", T1, "ABM", ST, 25000, ""),
        ("Gartner AR", C, "analyst-relations", "Gartner", ENT, "ABM", ST, 15000, ""),
        ("AWS Marketplace", C, "marketplace", "AWS", ENT, "partner co-sell", ST, 3000, ""),
        ("LeanData account matching", R, "account-matching", "LeanData", "", "", "", 2500, ""),
        ("ZoomInfo buying-group enrichment", R, "enrichment", "ZoomInfo", "", "", "", 4000, ""),
        ("6sense + Salesforce tiering", R, "lead-routing", "6sense, Salesforce", "", "", "", None, ""),
        ("Tier 1 1:1 ABM ads", X, "abm", "6sense", T1, "ABM", ST, 15000, ""),
        ("Tier 2 1:few ABM ads", X, "abm", "6sense", T2, "ABM", ST, 12000, ""),
        ("Personalised web pages", X, "web-personalisation", "Mutiny", ENT, "ABM",
         "Unify SecOps for financial services", 3000, ""),
        ("Account-based SDR plays", X, "sdr", "Outreach", T1, "account-based",
         "Unify SecOps: a CISO's case for one console", 14000, ""),
        ("Sendoso gifting", X, "gifting", "Sendoso", T1, "ABM", ST, 5000, ""),
        ("AWS co-sell", X, "partners", "AWS ACE", ENT, "partner co-sell", ST, None, ""),
        ("Enterprise AEs & SEs", X, "sales", "Salesforce", ENT, "sales-led", ST, None, ""),
        ("Executive sponsor program", X, "executive-sponsors", "", T1, "ABM", "", None, ""),
        ("6sense/Salesforce influence", F, "attribution", "6sense, Salesforce", "", "", "", 2000, ""),
        ("Clozd win/loss", F, "win-loss", "Clozd", "", "", "", 2500, ""),
        ("Clari forecast", F, "pipeline-review", "Clari", "", "", "", 2500, ""),
        ("Gong deal intelligence", F, "conversation-intelligence", "Gong", "", "", "", 3000, ""),
    ]  # fmt: skip
    into_matching = [r[0] for r in rows if r[1] is C and r[0] != "Executive dinners"]
    links = flows(
        *(f"{name} > LeanData account matching" for name in into_matching),
        "Executive dinners > Enterprise AEs & SEs",
        "LeanData account matching > ZoomInfo buying-group enrichment",
        "ZoomInfo buying-group enrichment > 6sense + Salesforce tiering",
        ("6sense + Salesforce tiering", "Tier 1 1:1 ABM ads", "Tier 1: 150 named accounts"),
        ("6sense + Salesforce tiering", "Tier 2 1:few ABM ads", "Tier 2: 600 accounts"),
        ("6sense + Salesforce tiering", "Personalised web pages", "Tier 1-2 account on the site"),
        ("6sense + Salesforce tiering", "Account-based SDR plays", "Tier 1 in decision stage: persona play"),
        ("6sense + Salesforce tiering", "Sendoso gifting", "Tier 1, first meeting booked"),
        ("6sense + Salesforce tiering", "AWS co-sell", "AWS committed-spend account"),
        ("6sense + Salesforce tiering", "Enterprise AEs & SEs", "open opportunity: to its owner"),
        "Enterprise AEs & SEs > Executive sponsor program",
        "Account-based SDR plays > Enterprise AEs & SEs",
        *(
            f"{name} > 6sense/Salesforce influence"
            for name in (
                "Tier 1 1:1 ABM ads",
                "Tier 2 1:few ABM ads",
                "Personalised web pages",
                "Account-based SDR plays",
                "Sendoso gifting",
                "AWS co-sell",
                "Enterprise AEs & SEs",
            )
        ),
        "Enterprise AEs & SEs > Clozd win/loss",
        "Enterprise AEs & SEs > Clari forecast",
        "Enterprise AEs & SEs > Gong deal intelligence",
        ("6sense/Salesforce influence", "6sense + Salesforce tiering", "", "influenced pipeline by tier"),
        ("Clozd win/loss", "ICP target account list", "", "ICP refresh"),
        ("Clari forecast", "6sense + Salesforce tiering", "", "stage movement by tier"),
        ("Gong deal intelligence", "Account-based SDR plays", "", "persona objections"),
    )
    return build("Sentinel Security", rows, links)


# --- (e) Pipeforge: AI-first GTM on an incoherent architecture ----------------------------------------
def pipeforge() -> ArchitectureMap:
    rows: list[Row] = [
        ("AI-generated SEO content", C, "content-generation", "Jasper, ChatGPT", "SMB", "product-led",
         "Pipeline on autopilot", 2000, "ai"),
        ("RB2B visitor identification", C, "visitor-id", "RB2B", "", "", "", 1000, ""),
        ("6sense intent", C, "intent-data", "6sense", MM, "", "", 6000, ""),
        ("Bombora intent", C, "intent-data", "Bombora", MM, "", "", 3000, ""),
        ("G2 intent", C, "intent-data", "G2", "", "", "", 2000, ""),
        ("Apollo scraped lists", C, "prospect-data", "Apollo", "", "outbound", "", 1500, ""),
        ("LinkedIn Ads", C, "paid-social", "LinkedIn", MM, "sales-led", "Pipeline on autopilot", 12000, ""),
        ("AI website chatbot", C, "chat", "Qualified Piper", "", "sales-led", "", 3500, "ai"),
        ("Clay research", R, "enrichment", "Clay (GPT-4o)", "", "", "", 2000, "ai"),
        ("AI lead qualification", R, "lead-qualification", "GPT prompt", "", "", "", 400, "ai"),
        ("Apollo enrichment", R, "enrichment", "Apollo", "", "", "", 1000, ""),
        ("AI SDR agent 'Alice'", X, "ai-sdr", "11x", "", "autonomous outbound", "Your pipeline on autopilot",
         5000, "ai"),
        ("AI SDR agent 'Ava'", X, "ai-sdr", "Artisan", "SMB", "autonomous outbound", "Hyper-personalised by Ava",
         4000, "ai"),
        ("AI LinkedIn DMs", X, "ai-sdr", "HeyReach", "", "autonomous outbound", "", 600, "ai"),
        ("AI nurture emails", X, "email", "HubSpot AI", "SMB", "product-led", "AI tips", 400, "ai"),
        ("Account executives", X, "sales", "HubSpot CRM", MM, "sales-led", "Hyper-personalised by Ava", None, ""),
        ("11x dashboard", F, "dashboards", "11x", "", "", "", None, ""),
        ("Artisan analytics", F, "dashboards", "Artisan", "", "", "", None, ""),
        ("HubSpot reports", F, "dashboards", "HubSpot", "", "", "", None, ""),
    ]  # fmt: skip
    links = flows(
        "AI-generated SEO content > Account executives",
        "AI website chatbot > Account executives",
        "LinkedIn Ads > AI nurture emails",
        "RB2B visitor identification > Clay research",
        "6sense intent > Clay research",
        "Bombora intent > Clay research",
        "G2 intent > Clay research",
        "Apollo scraped lists > Apollo enrichment",
        "Apollo enrichment > AI SDR agent 'Ava'",
        "Clay research > AI lead qualification",
        "Clay research > AI SDR agent 'Alice'",
        ("AI lead qualification", "Account executives", "GPT says ICP = yes"),
        ("AI lead qualification", "AI SDR agent 'Ava'", "", "A/B test"),
        "AI lead qualification > AI LinkedIn DMs",
        "AI SDR agent 'Alice' > 11x dashboard",
        "AI SDR agent 'Ava' > Artisan analytics",
        "Account executives > HubSpot reports",
        "AI nurture emails > HubSpot reports",
    )
    return build("Pipeforge", rows, links)


MAPS = {"a": northwind, "b": datastream, "c": canvasly, "d": sentinel, "e": pipeforge}


# --- one-change variants --------------------------------------------------------------------------------
def without_ai(arch: ArchitectureMap) -> ArchitectureMap:
    """e_v5: every AI mark removed (the names stay)."""
    return ArchitectureMap.build([replace(c, automation="") for c in arch.channels], arch.flows, arch.info)


def with_channels(arch: ArchitectureMap, rows: list[Row], links: list[Link]) -> ArchitectureMap:
    """The map plus channels and flows (by name)."""
    start = arch.next_channel_ord()
    extra = [
        Channel(id=f"n{i}", name=n, layer=layer, function=fn, tool=tool, segment=seg, motion=mo, message=msg,
                monthly_spend=spend, automation=ai, ord=start + i)
        for i, (n, layer, fn, tool, seg, mo, msg, spend, ai) in enumerate(rows)
    ]  # fmt: skip
    ids = {c.name: c.id for c in [*arch.channels, *extra]}
    order = arch.next_flow_ord()
    new = [Flow(ids[s], ids[t], rule, label, order + i) for i, (s, t, rule, label) in enumerate(links)]
    return ArchitectureMap.build([*arch.channels, *extra], [*arch.flows, *new], arch.info)


def e_four_more_channels() -> ArchitectureMap:
    """e_v6: podcast, Reddit, YouTube and newsletter sponsorships, all wired into Clay."""
    names = ["Podcast ads", "Reddit ads", "YouTube ads", "Newsletter sponsorships"]
    rows: list[Row] = [(n, C, "paid-social", "", "", "", "", 2500, "") for n in names]
    return with_channels(pipeforge(), rows, flows(*(f"{n} > Clay research" for n in names)))


def e_third_ai_sdr() -> ArchitectureMap:
    """e_v7: a third autonomous SDR agent."""
    rows: list[Row] = [
        ("AI SDR agent 'Max'", X, "ai-sdr", "AiSDR", "", "autonomous outbound", "", 3000, "ai")
    ]
    return with_channels(pipeforge(), rows, flows("AI lead qualification > AI SDR agent 'Max'"))


def e_tbd_rules() -> ArchitectureMap:
    """e_v8: "tbd" written on every unruled routing flow."""
    arch = pipeforge()
    layer = {c.id: c.layer for c in arch.channels}
    changed = [
        replace(f, rule="tbd") if layer[f.source] is R and not f.rule.strip() else f for f in arch.flows
    ]
    return ArchitectureMap.build(arch.channels, changed, arch.info)


def b_pass_through() -> ArchitectureMap:
    """b_v1: every capture channel into one rule-less "Salesforce assignment rule" that sends all to SDR team A."""
    arch = datastream()
    capture = [c.name for c in arch.channels if c.layer is C]
    rows: list[Row] = [("Salesforce assignment rule", R, "lead-routing", "Salesforce", "", "", "", None, "")]
    links = flows(
        *(f"{n} > Salesforce assignment rule" for n in capture), "Salesforce assignment rule > SDR team A"
    )
    return with_channels(arch, rows, links)


def b_ga4_loop() -> ArchitectureMap:
    """b_v2: GA4 and the board slide "feed back" to Marketo; every execution channel sends to GA4."""
    arch = datastream()
    execution = [c.name for c in arch.channels if c.layer is X and c.name != "Marketo email"]
    links = flows(
        *(f"{n} > GA4" for n in execution),
        "GA4 > Marketo lead scoring",
        "Monthly board pipeline slide > Marketo lead scoring",
    )
    return with_channels(arch, [], links)


def b_three_more_duplicates() -> ArchitectureMap:
    """b_v9: TechTarget (a 4th intent tool), Goldcast (a 3rd webinar tool), Apollo (a 3rd enrichment), unwired."""
    rows: list[Row] = [
        ("TechTarget intent", C, "intent-data", "TechTarget", "", "", "", 5000, ""),
        ("Goldcast webinars", C, "webinars", "Goldcast", MM, "", "", 2000, ""),
        ("Apollo enrichment", R, "enrichment", "Apollo", "", "", "", 1000, ""),
    ]
    return with_channels(datastream(), rows, [])


def c_loops_to_routing() -> ArchitectureMap:
    """c_v10: the experiment and survey loops redrawn to PQL scoring."""
    arch = canvasly()
    by_name = {c.name: c.id for c in arch.channels}
    moved = []
    for f in arch.flows:
        if f.source in (by_name["Statsig experiments"], by_name["Sprig in-app surveys"]) and (
            arch.channel(f.target).layer is X
        ):
            f = replace(f, target=by_name["Pocus PQL scoring"])
        moved.append(f)
    return ArchitectureMap.build(arch.channels, moved, arch.info)
