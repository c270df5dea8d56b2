"""Five phones (isolated contexts of one headless Chromium, 360×740) run a whole exercise on the sample map:
join, suggest, see their suggestion accepted, follow the map, vote three dots; the room closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.room.votes import ROOM_KEY, VoteResults
from desktop.store.document import MapDocument  # the test reads the file as another program would
from tests.room.browser import HEIGHT, WIDTH, Browser, require_chromium
from tests.room.conftest import inbox, open_room, rows
from tests.ui.helpers import file_map

WAIT = 20


@pytest.fixture()
def browser():
    require_chromium()
    chromium = Browser()
    yield chromium
    chromium.quit()


def wait_for(driver, condition, message: str):
    """Wait until `condition` holds; an element the page redrew meanwhile (stale) means "look again"."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    waiting = WebDriverWait(
        driver, WAIT, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)
    )
    return waiting.until(condition, message)


def click(driver, css: str, index: int = 0) -> bool:
    """Click the index-th element matching `css`, found afresh (the page redraws lists as the room changes)."""
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        found = driver.find_elements(*by("CSS_SELECTOR", css))
        if len(found) <= index or not found[index].is_enabled():
            return False
        found[index].click()
        return True
    except StaleElementReferenceException:
        return False


def text_of(driver, css: str) -> str:
    return driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : ''", css
    )


def by(kind: str, value: str):
    from selenium.webdriver.common.by import By

    return (getattr(By, kind), value)


def test_a_room_of_five_phones_suggests_votes_and_the_facilitator_accepts(
    qtbot, room_window, browser
) -> None:
    window, path = room_window
    url = open_room(qtbot, window)
    driver = browser.driver
    names = ["Webinar", "webinars", "Webinars (ON24)", '<img src=x onerror="window.pwned=1">', "ندوات صوتية"]
    phones = []
    for name in names:
        handle = browser.phone(url)
        phones.append(handle)
        wait_for(driver, lambda d: d.execute_script("return !!sessionStorage.getItem('roomToken')"), "joined")
        assert driver.execute_script("return [innerWidth, innerHeight]") == [WIDTH, HEIGHT]
        assert (
            driver.execute_script("return document.documentElement.scrollWidth") <= WIDTH
        )  # no sideways scroll
        field = driver.find_element(*by("NAME", "channel"))
        field.send_keys(name)
        driver.find_element(*by("CSS_SELECTOR", "input[name=layer][value=capture]")).click()
        driver.find_element(*by("NAME", "note")).send_keys("from the floor")
        driver.find_element(*by("ID", "send")).click()
        wait_for(
            driver,
            lambda d: d.find_elements(*by("CSS_SELECTOR", "#mine li.suggestion")),
            "own suggestion listed",
        )
        shown = wait_for(
            driver,
            lambda d: d.find_element(*by("CSS_SELECTOR", "#mine li.suggestion .name")).text,
            "own suggestion's name",
        )
        assert shown == name  # as text, whatever it holds
    assert len({driver.execute_script("return 1") for _ in phones}) == 1
    driver.switch_to.window(phones[3])
    assert driver.execute_script("return window.pwned === undefined && !document.querySelector('#mine img')")

    # The facilitator's inbox: the three webinars are one row, which says the map has Webinars already:
    # Enter selects that card and adds the participants' note to it, instead of a near duplicate.
    qtbot.waitUntil(lambda: len(rows(window)) == 3, timeout=WAIT * 1000)
    webinar_row = next(i for i, text in enumerate(rows(window)) if "Webinars (ON24)" in text)
    assert "webinars" in rows(window)[webinar_row] and "×3" in rows(window)[webinar_row]
    assert "on the map as Webinars" in rows(window)[webinar_row]
    view = inbox(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(webinar_row, 0))
    QTest.keyClick(view, Qt.Key.Key_Return)
    channels = {c.name: c for c in file_map(path).iter_channels()}
    assert "Webinar" not in channels and "from the floor" in channels["Webinars"].notes
    assert window.session.undo_stack.count() == 1
    # A new idea goes on the map through the one edit path, and the score moves.
    score_before = window.session.report.score
    new_row = next(i for i, text in enumerate(rows(window)) if "ندوات صوتية" in text)
    view.setCurrentIndex(view.model().index(new_row, 0))
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert "ندوات صوتية" in {c.name for c in file_map(path).iter_channels()}
    assert window.session.undo_stack.count() == 2
    assert window.session.report.score != score_before  # the score moves

    driver.switch_to.window(phones[0])
    wait_for(
        driver,
        lambda d: (
            d.find_element(*by("CSS_SELECTOR", "#mine li.suggestion")).get_attribute("data-status")
            == "accepted"
        ),
        "the phone sees its suggestion accepted",
    )
    qtbot.wait(700)  # the picture of the map is re-rendered at most twice a second
    window.room.publish()
    wait_for(
        driver,
        lambda d: d.execute_script(
            "const i = document.getElementById('map'); return !i.hidden && i.complete && i.naturalWidth > 300"
        ),
        "map shown",
    )

    # The vote: each phone spends its three dots (stacking allowed) on the findings.
    window.room.open_vote()
    spent = 0
    for number, handle in enumerate(phones):
        driver.switch_to.window(handle)
        wait_for(
            driver,
            lambda d: d.find_elements(*by("CSS_SELECTOR", "#voteBox:not([hidden]) #findings li")),
            "the vote reaches the phone",
        )
        for dot in range(3):
            target = 0 if number < 3 else dot  # three phones stack all three dots on the first finding
            wait_for(driver, lambda d, t=target: click(d, "#findings li button.add", t), "a dot to spend")
            spent += 1
            wait_for(
                driver,
                lambda d, left=2 - dot: d.find_element(*by("ID", "dotsLeft")).text == str(left),
                "the dot is counted",
            )
        (enabled,) = wait_for(  # a one-item tuple: found even when the list is empty
            driver,
            lambda d: (
                [b.is_enabled() for b in d.find_elements(*by("CSS_SELECTOR", "#findings li button.add"))],
            ),
            "the vote's buttons",
        )
        assert not any(enabled)
    qtbot.waitUntil(lambda: "15 dots" in window.room.dock.vote_status.text(), timeout=WAIT * 1000)
    window.room.close_vote()
    with MapDocument.open(path, read_only=True) as doc:
        results = VoteResults.loads(doc.setting(ROOM_KEY))
    assert sum(r.dots for r in results.results) == spent == 15 and results.voters == 5
    assert results.results[0].dots == 3 * 3 + 2  # the stacked dots and two singles on the first finding

    # Closing the room: the phones are told, their tokens no longer work.
    window.actions_by_name["room-close"].trigger()
    driver.switch_to.window(phones[1])
    wait_for(
        driver, lambda d: not d.find_element(*by("ID", "join")).get_attribute("hidden"), "back to joining"
    )
    assert "closed" in driver.find_element(*by("ID", "message")).text
