"""The console in a real browser (Debian's headless Chromium through Selenium), against the
whole suite started by suite.py: a volunteer signs up on a phone, staff verify them and issue
their personal link, the volunteer accepts a medicine errand and sees the drug and the
address, the dispatcher's board follows without a reload, the operations room's check-in
counter moves within two seconds, and no page shows anything outside its viewer's area.
Screenshots of each page go to docs/screenshots/."""

from __future__ import annotations

import os
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

import story
from suite import ROOT, Suite

SHOTS = Path(os.environ.get("SHOUWANG_SCREENSHOTS", ROOT / "docs" / "screenshots"))
PHONE = (360, 780)
DESK = (1280, 900)
PASSWORD = "correct horse battery staple"
OTHER_STREET = "320505-005"


@pytest.fixture(scope="module")
def suite():
    running = Suite().start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def city(suite):
    operator = suite.token("operator")
    geo = story.make_geography(suite.api, operator)
    status, _ = suite.api("intake", "PUT", "/v1/areas", operator, [{"code": OTHER_STREET, "name": "观前街道"}])
    assert status == 200
    staff = suite.token("staff", story.STREET)
    geo["call_id"] = story.publish_call(suite.api, staff, geo)
    suite.add_user("staff-0042", "staff", story.STREET, PASSWORD)
    suite.add_user("dispatch-07", "dispatcher", story.STREET, PASSWORD)
    suite.add_user("ops-1", "operator", None, PASSWORD)
    suite.add_user("staff-0099", "staff", OTHER_STREET, PASSWORD)
    geo["staff_token"] = staff
    geo["operator_token"] = operator
    return geo


def browser(size):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN",
                     f"--window-size={size[0]},{size[1]}"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.set_window_size(*size)
    driver.set_page_load_timeout(60)
    return driver


def shot(driver, name):
    # Markup of the console's own that was escaped as text: a page shows "<span…" to its reader.
    source = driver.page_source
    for tag in ("&lt;p", "&lt;span", "&lt;table", "&lt;tr", "&lt;div", "&lt;a ", "&lt;form", "&lt;b>", "&lt;section"):
        assert tag not in source, f"{name}: the page shows escaped markup ({tag})"
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 600)")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, min(int(height) + 120, 2400))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def sign_in(driver, suite, username):
    driver.get(suite.console_url + "/login")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
    WebDriverWait(driver, 20).until(lambda d: "/login" not in d.current_url)


def wait_for(driver, condition, seconds=20, message=""):
    # Live parts are redrawn under the test's feet: an element found a moment ago may be gone.
    return WebDriverWait(driver, seconds, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException]).until(
        condition, message)


def test_the_volunteer_story_from_sign_up_to_a_delivered_errand(suite, city):
    phone = browser(PHONE)
    staff = browser(DESK)
    dispatcher = browser(DESK)
    try:
        # A volunteer opens the call's link from a WeChat group on their phone and signs up.
        phone.get(f"{suite.console_url}/join/{city['call_id']}")
        assert phone.find_element(By.ID, "qr").get_attribute("data-qr").endswith(f"/join/{city['call_id']}")
        shot(phone, "01-join-phone")
        body = story.sign_up_body(city, sequence=7)
        phone.find_element(By.ID, "f-name").send_keys(body["name"])
        phone.find_element(By.ID, "f-mobile").send_keys(body["mobile"])
        phone.find_element(By.ID, "f-idNumber").send_keys(body["idNumber"])
        phone.find_element(By.ID, "f-birthYear").send_keys(str(body["birthYear"]))
        Select(phone.find_element(By.ID, "f-homeCommunity")).select_by_value(city["community"])
        Select(phone.find_element(By.ID, "f-health-healthCode")).select_by_value("green")
        temperature = phone.find_element(By.ID, "f-health-temperature")
        temperature.clear()
        temperature.send_keys("36.5")
        Select(phone.find_element(By.ID, "f-health-symptoms")).select_by_value("no")
        Select(phone.find_element(By.ID, "f-health-vaccinated")).select_by_value("yes")
        phone.find_element(By.ID, "f-skill-driving").click()
        # Available from an hour ago for twelve hours (China time, as the page reads it).
        now = datetime.now(timezone(timedelta(hours=8)))
        for field, moment in (("from", now - timedelta(hours=1)), ("to", now + timedelta(hours=12))):
            phone.execute_script("arguments[0].value = arguments[1]", phone.find_element(By.ID, f"f-availability-0-{field}"),
                                 moment.strftime("%Y-%m-%dT%H:%M"))
        phone.find_element(By.ID, "sign-up-submit").click()
        wait_for(phone, lambda d: d.find_elements(By.ID, "thanks"), message="the sign-up was not thanked")
        shot(phone, "02-signed-up-phone")

        # Staff verify them in the vetting queue and record training and insurance.
        sign_in(staff, suite, "staff-0042")
        staff.get(suite.console_url + "/vetting")
        volunteer_id = story.find_volunteer(suite.api, city["staff_token"], body["name"])
        assert body["name"] in staff.page_source
        shot(staff, "03-vetting-queue")
        staff.find_element(By.ID, f"verify-{volunteer_id}").click()
        # Done when the queue of pending volunteers comes back without them (not before: navigating
        # away while the form's POST is in flight would cancel it).
        wait_for(staff, lambda d: "/vetting" in d.current_url and not d.find_elements(By.ID, f"verify-{volunteer_id}"),
                 message="the volunteer was not verified")
        staff.get(f"{suite.console_url}/vetting/{volunteer_id}")
        for action in ("record-training", "record-insurance"):
            wait_for(staff, lambda d: d.find_element(By.ID, f"{action}-{volunteer_id}"), message=f"no {action} button").click()
            # Recorded once the page that comes back no longer offers it.
            wait_for(staff, lambda d: not d.find_elements(By.ID, f"{action}-{volunteer_id}"), message=f"{action} was not recorded")
            staff.get(f"{suite.console_url}/vetting/{volunteer_id}")
        wait_for(staff, lambda d: d.find_element(By.ID, "issue-link"), message="no personal-link button for a verified volunteer")
        shot(staff, "04-volunteer-verified")
        staff.find_element(By.ID, "issue-link").click()
        link = wait_for(staff, lambda d: d.find_element(By.ID, "personal-link")).text.strip()
        assert link.startswith(suite.console_url + "/v/")
        wait_for(staff, lambda d: d.find_elements(By.CSS_SELECTOR, ".qr svg"), message="no QR code drawn")
        shot(staff, "05-personal-link")

        # The dispatcher watches the board; a marker set now must survive (no reload).
        sign_in(dispatcher, suite, "dispatch-07")
        dispatcher.get(suite.console_url + "/dispatch")
        wait_for(dispatcher, lambda d: d.execute_script("return document.body.dataset.live") == "open",
                 message="the board's live stream did not open")
        dispatcher.execute_script("window.__notReloaded = true")

        # The volunteer opens their personal link before anything is offered: the token leaves
        # the address bar, and the offer will come to the open page by itself.
        phone.get(link)
        assert phone.current_url.endswith("/me"), "the token must leave the address bar"
        wait_for(phone, lambda d: d.execute_script("return document.body.dataset.live") == "open",
                 message="the volunteer's page did not open its live stream")
        phone.execute_script("window.__notReloaded = true")

        # The elderly man with no smartphone calls the station: staff record his medicine
        # request on the phone, and matching offers it to the volunteer.
        staff.get(suite.console_url + "/requests")
        staff.find_element(By.ID, "record-request").click()
        form = story.medicine_request_body(city, address=f"3幢 {uuid.uuid4().hex[:4]}室")
        Select(staff.find_element(By.ID, "r-category")).select_by_value("medicine")
        Select(staff.find_element(By.ID, "r-urgency")).select_by_value(form["urgency"])
        Select(staff.find_element(By.ID, "r-zone")).select_by_value(form["zone"])
        for name in ("compound", "address", "contactName", "contactPhone"):
            staff.find_element(By.ID, f"r-{name}").send_keys(form[name])
        for name in ("drugName", "dose", "note"):
            staff.find_element(By.ID, f"r-{name}").send_keys(form["details"][name])
        shot(staff, "06-record-request")
        staff.find_element(By.ID, "request-submit").click()
        wait_for(staff, lambda d: "/requests/" in d.current_url and "/new" not in d.current_url, message="the request was not filed")
        request_id = staff.current_url.rstrip("/").split("/")[-1]
        uuid.UUID(request_id)
        wait_for(dispatcher, lambda d: d.find_elements(By.CSS_SELECTOR, f"#lane-offering [data-request='{request_id}']"),
                 seconds=30, message="the board did not show the offer")
        assert dispatcher.execute_script("return window.__notReloaded === true")
        assert dispatcher.find_elements(By.CSS_SELECTOR, f"[data-request='{request_id}'] .offer-clock"), "no time left shown"

        wait_for(phone, lambda d: d.find_elements(By.ID, f"accept-{request_id}"), seconds=30,
                 message="the offer did not reach the open page")
        assert phone.execute_script("return window.__notReloaded === true"), "the volunteer's page reloaded"
        shot(phone, "07-offer-phone")
        assert "苯磺酸氨氯地平片" not in phone.page_source, "the drug shows only once they hold the task"
        phone.find_element(By.ID, f"accept-{request_id}").click()
        task = wait_for(phone, lambda d: d.find_elements(By.ID, f"task-{request_id}"), seconds=30)
        deadline = time.monotonic() + 30
        while "苯磺酸氨氯地平片" not in phone.page_source and time.monotonic() < deadline:
            time.sleep(0.5)
            phone.refresh()
        assert "苯磺酸氨氯地平片" in phone.page_source
        assert "5mg 每日一次" in phone.page_source
        assert "3幢" in phone.find_element(By.ID, f"task-{request_id}").text
        shot(phone, "08-task-phone")

        # The board moves the request to assigned by itself.
        wait_for(dispatcher, lambda d: d.find_elements(By.CSS_SELECTOR, f"#lane-assigned [data-request='{request_id}']"),
                 seconds=20, message="the board did not show the assignment without a reload")
        assert dispatcher.execute_script("return window.__notReloaded === true")
        shot(dispatcher, "10-dispatch-board")

        # Nobody can take a request for psychological support (no counsellor): it waits on the
        # board with a button to offer it again, which goes through to matching.
        # She files it herself on the public help page, from her phone.
        phone.get(suite.console_url + "/help")
        Select(phone.find_element(By.ID, "r-category")).select_by_value("psychological-support")
        Select(phone.find_element(By.ID, "r-zone")).select_by_value("sealed")
        address = f"5幢 {uuid.uuid4().hex[:4]}室"
        for name, value in (("compound", city["compound"]), ("address", address), ("contactName", "赵阿姨"),
                            ("contactPhone", "13912345679"), ("note", "独居，情绪低落")):
            phone.find_element(By.ID, f"r-{name}").send_keys(value)
        phone.find_element(By.ID, "request-submit").click()
        wait_for(phone, lambda d: d.find_elements(By.ID, "help-received"), message="the public request was not received")
        shot(phone, "09-help-phone")
        status, listed = suite.api("intake", "GET", "/v1/requests?limit=100", city["staff_token"])
        assert status == 200
        lonely = next(item["id"] for item in listed["items"] if item["category"] == "psychological-support")
        wait_for(dispatcher, lambda d: d.find_elements(By.CSS_SELECTOR, f"#lane-unassigned [data-request='{lonely}'] form button"),
                 seconds=30, message="the unassigned request has no re-offer button")
        dispatcher.execute_script("window.__beforeReoffer = true")
        for _ in range(10):  # the live board may redraw itself between finding the button and clicking it
            try:
                dispatcher.find_element(By.CSS_SELECTOR, f"#lane-unassigned [data-request='{lonely}'] form button").click()
                break
            except StaleElementReferenceException:
                time.sleep(0.2)
        # The POST answered with a redirect back to the board: a new page, not an error page.
        wait_for(dispatcher, lambda d: d.execute_script("return window.__beforeReoffer === undefined")
                 and d.current_url.endswith("/dispatch") and d.find_elements(By.ID, "board"),
                 message="re-offering did not come back to the board")
        assert dispatcher.find_elements(By.CSS_SELECTOR, f"#lane-unassigned [data-request='{lonely}']"), "still nobody to take it"
        status, row = suite.api("matching", "GET", "/v1/dispatch-board", city["staff_token"])
        assert status == 200 and any(r["requestId"] == lonely and r["ageMinutes"] >= 0 for r in row)
    finally:
        for driver in (phone, staff, dispatcher):
            driver.quit()


def test_the_operations_rooms_counter_moves_within_two_seconds_of_check_ins(suite, city):
    operator = city["operator_token"]
    now = datetime.now(timezone.utc)
    status, created = suite.api("intake", "POST", "/v1/testing-rounds", operator, {
        "name": "第十轮全员核酸", "area": story.STREET, "startsAt": (now - timedelta(hours=1)).isoformat(),
        "endsAt": (now + timedelta(hours=8)).isoformat(), "poolSize": 1})
    assert status == 201, created
    round_id = created["id"]
    status, site = suite.api("intake", "POST", f"/v1/testing-rounds/{round_id}/sites", operator, {
        "area": story.COMMUNITY, "name": "平江新城社区广场采样点", "opensAt": "00:00", "closesAt": "23:59", "expectedPopulation": 8000})
    assert status == 201, site
    device = suite.token("device", story.COMMUNITY, subject="scanner-01")

    room = browser(DESK)
    elsewhere = browser(DESK)
    try:
        sign_in(room, suite, "ops-1")
        room.get(suite.console_url + "/operations")
        wait_for(room, lambda d: d.execute_script("return document.body.dataset.live") == "open")
        sign_in(elsewhere, suite, "staff-0099")
        elsewhere.get(suite.console_url + "/operations")
        wait_for(elsewhere, lambda d: d.execute_script("return document.body.dataset.live") == "open")
        before = int(room.find_element(By.ID, "checkins-quarter").text)
        items = [{"roundId": round_id, "siteId": site["id"], "residentCode": f"R{uuid.uuid4().hex[:10]}",
                  "tubeBarcode": f"T{uuid.uuid4().hex[:12]}", "scannedAt": datetime.now(timezone.utc).isoformat(),
                  "operator": "scanner-01"} for _ in range(40)]
        posted = time.monotonic()
        status, answer = suite.api("intake", "POST", "/v1/checkins", device, {"items": items})
        assert status in (200, 207), answer
        assert answer["accepted"] == 40, answer
        wait_for(room, lambda d: int(d.find_element(By.ID, "checkins-quarter").text) >= before + 40, seconds=10,
                 message="the counter did not move")
        elapsed = time.monotonic() - posted
        print(f"\noperations room: check-in counter moved {elapsed:.2f} s after the batch was posted")
        assert elapsed < 2.0, f"the counter moved after {elapsed:.2f} s"
        assert room.execute_script("return document.body.dataset.live") == "open"
        shot(room, "11-operations-room")
        # Another street's staff see none of it.
        time.sleep(1.0)
        assert int(elsewhere.find_element(By.ID, "checkins-quarter").text) == 0
        assert story.STREET not in elsewhere.find_element(By.ID, "checkins").text
    finally:
        room.quit()
        elsewhere.quit()


def test_no_page_shows_what_lies_outside_its_viewers_area(suite, city):
    # A resident on the street's registry, and a follow-up due for them.
    status, resident = suite.api("outreach", "POST", "/v1/residents", city["staff_token"], {
        "name": "孙秀英", "birthYear": 1938, "compound": city["compound"], "address": "7幢 102室",
        "categories": ["elder-80-plus", "living-alone"], "careLevel": "high", "consent": True,
        "contactName": "孙秀英", "contactPhone": "13812345670"})
    assert status == 201, resident
    insider = browser(DESK)
    try:
        sign_in(insider, suite, "staff-0042")
        insider.get(suite.console_url + "/registry")
        assert resident["id"] in insider.page_source, "the street's own staff see their registry"
        assert "13812345670" not in insider.page_source, "the list is masked"
        insider.get(suite.console_url + "/calls")
        assert "平江新城社区招募送药志愿者" in insider.page_source
    finally:
        insider.quit()
    outsider = browser(DESK)
    try:
        sign_in(outsider, suite, "staff-0099")
        for path in ["/vetting", "/requests", "/dispatch", "/operations", "/registry", "/followups", "/calls"]:
            outsider.get(suite.console_url + path)
            source = outsider.page_source
            assert "李建华" not in source, f"{path} shows a volunteer of another street"
            assert "王老伯" not in source and "13912345678" not in source, f"{path} shows a resident of another street"
            assert "苯磺酸氨氯地平片" not in source, f"{path} shows another street's request"
            assert "孙秀英" not in source and resident["id"] not in source, f"{path} shows another street's registry"
            assert "平江新城社区招募送药志愿者" not in source, f"{path} shows another street's recruitment call"
        # Nor the record itself, reason given or not.
        outsider.get(f"{suite.console_url}/registry/{resident['id']}")
        outsider.find_element(By.NAME, "reason").send_keys("核实情况")
        outsider.find_element(By.CSS_SELECTOR, f"form[action='/registry/{resident['id']}'] button").click()
        wait_for(outsider, lambda d: "孙秀英" not in d.page_source and d.find_elements(By.CSS_SELECTOR, "[role='alert']"),
                 message="another street's resident record was not refused")
        shot(outsider, "13-another-streets-view")
        # A forged form (no CSRF token) is refused, and a caller may not open staff pages.
        outsider.get(suite.console_url + "/vetting")
        forged = outsider.execute_script(
            "return fetch('/logout', {method: 'POST', body: 'csrf=forged', headers: {'Content-Type': 'application/x-www-form-urlencoded'}})"
            ".then(r => r.status)")
        assert forged == 403
    finally:
        outsider.quit()


def test_the_dispatcher_sees_the_shifts_a_roster_plan_left_short_as_it_is_planned(suite, city):
    staff = city["staff_token"]
    status, post = suite.api("matching", "POST", "/v1/posts", staff, {
        "name": "平江新城社区心理疏导点", "area": city["community"], "role": "canvassing", "requiredSkills": ["counselling"]})
    assert status == 201, post
    starts = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=2)
    status, shift = suite.api("matching", "POST", f"/v1/posts/{post['id']}/shifts", staff, {
        "startsAt": starts.isoformat(), "endsAt": (starts + timedelta(hours=4)).isoformat(), "slots": 2})
    assert status == 201, shift
    board = browser(DESK)
    try:
        sign_in(board, suite, "dispatch-07")
        board.get(suite.console_url + "/dispatch")
        wait_for(board, lambda d: d.execute_script("return document.body.dataset.live") == "open")
        board.execute_script("window.__notReloaded = true")
        status, plan = suite.api("matching", "POST", "/v1/rosters:plan", staff, {
            "area": story.STREET, "from": (starts - timedelta(hours=1)).isoformat(), "to": (starts + timedelta(hours=6)).isoformat()})
        assert status == 201, plan
        short = [entry["shiftId"] for entry in plan["unfilled"]]
        assert shift["id"] in short, plan
        row = wait_for(board, lambda d: d.find_elements(By.CSS_SELECTOR, f"#shortages [data-shift='{shift['id']}']"), seconds=15,
                       message="the shortage did not reach the board")[0]
        assert board.execute_script("return window.__notReloaded === true")
        assert "2" in row.text
        shot(board, "12-dispatch-shortages")
    finally:
        board.quit()
    # Another street's dispatcher is not told of it.
    outsider = browser(DESK)
    try:
        suite.add_user("dispatch-99", "dispatcher", OTHER_STREET, PASSWORD)
        sign_in(outsider, suite, "dispatch-99")
        outsider.get(suite.console_url + "/dispatch")
        assert not outsider.find_elements(By.CSS_SELECTOR, f"#shortages [data-shift='{shift['id']}']")
    finally:
        outsider.quit()


def test_a_station_receives_donated_masks_and_sees_them_on_the_shelf_with_their_cover(suite, city):
    staff = city["staff_token"]
    status, item = suite.api("supplies", "POST", "/v1/items", staff, {"name": "KN95口罩", "unit": "只", "category": "protective-equipment"})
    assert status == 201, item
    status, depot = suite.api("supplies", "POST", "/v1/depots", staff, {"name": "平江街道社工站仓库", "kind": "social-work-station",
                                                                         "area": story.STREET})
    assert status == 201, depot
    desk = browser(DESK)
    try:
        sign_in(desk, suite, "staff-0042")
        desk.get(suite.console_url + "/supplies")
        desk.find_element(By.CSS_SELECTOR, f"[data-depot='{depot['id']}'] a").click()
        wait_for(desk, lambda d: d.find_elements(By.ID, "receive-form"))
        Select(desk.find_element(By.NAME, "item-0")).select_by_value(item["id"])
        desk.find_element(By.NAME, "quantity-0").send_keys("200")
        desk.find_element(By.ID, "receive-submit").click()
        wait_for(desk, lambda d: "received=" in d.current_url, message="the receipt was not recorded")
        lots = desk.find_elements(By.CSS_SELECTOR, "[data-lot]")
        assert len(lots) == 1 and "200" in lots[0].text
        assert desk.find_elements(By.ID, f"cover-{item['id']}")
        shot(desk, "14-depot-stock")
    finally:
        desk.quit()


def test_an_operations_centre_sets_up_a_street_and_its_station_from_the_console(suite, city):
    desk = browser(DESK)
    try:
        sign_in(desk, suite, "ops-1")
        desk.get(suite.console_url + "/setup")
        desk.find_element(By.ID, "areas-text").send_keys("320505-006,虎丘街道\n320505-006-001,新庄社区,6500\n")
        desk.find_element(By.ID, "areas-submit").click()
        wait_for(desk, lambda d: d.find_elements(By.ID, "areas-loaded"), message="the areas were not loaded")
        assert "2" in desk.find_element(By.ID, "areas-loaded").text
        desk.get(suite.console_url + "/setup?parent=320505-006")
        assert desk.find_elements(By.CSS_SELECTOR, "[data-area='320505-006-001']"), desk.find_element(By.TAG_NAME, "main").text[:1500]
        Select(desk.find_element(By.ID, "organization-kind")).select_by_value("social-work-station")
        desk.find_element(By.ID, "organization-name").send_keys("虎丘街道社工站")
        area = desk.find_element(By.ID, "organization-area")
        area.clear()
        area.send_keys("320505-006")
        desk.find_element(By.ID, "organization-submit").click()
        wait_for(desk, lambda d: d.find_elements(By.ID, "organization-added"), message="the organization was not registered")
        assert "虎丘街道社工站" in desk.find_element(By.ID, "organizations").text
        shot(desk, "15-setup")
        # A line that is not an area is refused, naming it, and nothing is loaded.
        desk.find_element(By.ID, "areas-text").send_keys("320505-007,金阊街道\n3205,坏行\n")
        desk.find_element(By.ID, "areas-submit").click()
        wait_for(desk, lambda d: "3205,坏行" in d.page_source)
        status, answer = suite.api("intake", "GET", "/v1/areas?parent=320505", None)
        assert status == 200 and all(a["code"] != "320505-007" for a in answer["areas"])
    finally:
        desk.quit()


@pytest.mark.parametrize("username", ["staff-0042", "ops-1", "dispatch-07"])
def test_every_page_in_a_roles_navigation_opens_without_an_error(suite, city, username):
    desk = browser(DESK)
    try:
        sign_in(desk, suite, username)
        links = [a.get_attribute("href") for a in desk.find_elements(By.CSS_SELECTOR, "nav a")]
        assert len(links) >= 2
        for link in links:
            desk.get(link)
            source = desk.page_source
            assert "出错了" not in source and "Something went wrong" not in source, f"{link} failed for {username}"
            for tag in ("&lt;p", "&lt;span", "&lt;table", "&lt;tr", "&lt;div", "&lt;a ", "&lt;form", "&lt;b>"):
                assert tag not in source, f"{link} shows escaped markup ({tag}) to {username}"
        # The English toggle comes back to the same page, in English.
        desk.get(links[0])
        desk.find_element(By.CSS_SELECTOR, "header a.lang").click()
        wait_for(desk, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
        assert desk.current_url == links[0]
    finally:
        desk.quit()
