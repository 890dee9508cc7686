"""How a residents' MEDICINE request ends up OFFERED to one volunteer who signed up through a
public recruitment call, on a freshly migrated, empty database — HTTP calls only.

Every function takes ``api(service, method, path, token, body) -> (status, json)`` (``Suite.api``
in suite.py fits) and token strings made with ``shouwang token`` and the services'
SHOUWANG_TOKEN_SECRET:

- ``operator_token``: ``shouwang token --role operator --subject x`` (no --area: the whole city),
  needed for ``PUT /v1/areas`` (operators only, Geography/AreaRoutes.swift:13);
- ``staff_token``: ``shouwang token --role staff --area 320505-004`` (STAFF_AREA, the street).
  The street, not the community: the organization is registered in the street and a call may
  name only an organization inside the caller's area (Organizations/OrganizationReference.swift:16-24), and
  issuing the volunteer's token needs the staff area to cover the volunteer's HOME community
  (VolunteerTokenStore.swift:23). The district 320505 works as well; a community token does not.

The sequence (``run_story`` does all of it):

  1. intake   PUT  /v1/areas                                 operator  district, street, community, compound
  2. intake   POST /v1/organizations                         operator  a social-work station in the street
  3. intake   POST /v1/recruitment-calls                     staff     201, the call's page ({"id": ...})
  4. intake   POST /v1/recruitment-calls/{id}/sign-ups       none      202 {"status": "received"} — NO id
  5. intake   GET  /v1/volunteers?area=320505-004&status=pending   staff   find the id by the invented name
  6. intake   POST /v1/volunteers/{id}/vetting {"action": "verify"}            staff  (the browser test's button)
  7. intake   POST /v1/volunteers/{id}/vetting {"action": "record-training"}   staff
  8. intake   POST /v1/volunteers/{id}/vetting {"action": "record-insurance"}  staff  -> "eligible": true
  9. intake   POST /v1/volunteers/{id}/tokens {"days": 1}    staff     201 {"token": ...} (verified only)
 10. intake   POST /v1/requests                              none      201 {"id", "probableDuplicateOf": null}
 11. matching GET  /v1/me/offers                             volunteer poll until the request is listed, "offering"
 12. matching POST /v1/dispatches/{id}/accept {}             volunteer 200 {"status": "assigned"}
 13. intake   GET  /v1/requests/{id}/task                    volunteer poll until 200: address, details.drugName/dose

What matching checks (all of it in SQL against intake's own ``volunteers`` table — the services
share one PostgreSQL database, MatchingMigrations.swift:3-4 "it reads intake's volunteers"):

When ``intake.request.created`` reaches matching's DispatchConsumer
(Services/Matching/Library/Dispatch/DispatchServices.swift:34-42):
  - the event has a compound and a category (:35-37), and NO ``probableDuplicateOf`` (:39) — a
    request of the same household (compound + normalised address, Requests/WorkOrder.swift:28 HouseholdKey)
    and category filed within 24 h of an open one (IntakeService.swift:54, RequestStore.swift:22-31)
    is never dispatched at all: vary the address between runs on one database;
  - then DispatchStore.open (DispatchStore.swift:51-68) asks ``candidates`` (DispatchStore.swift:29-48):
      * ``v.status = 'verified'``                                    (:36)
      * ``v.trained`` and ``v.insured`` (record-training, record-insurance)   (:36)
      * home community in the request's DISTRICT: ``v.community LIKE '320505%'`` (:36) — the
        community and street are NOT filters, only the ordering (:42);
      * the skill the category needs: medicine and medical-escort need ``driving``,
        psychological-support ``counselling``, the rest none (:19-25, :37);
      * available NOW (the database's now() when the event is consumed): an availability window
        with from <= now() < to (:38-39), OR a rostered, not cancelled shift running now (:40-41).
        Being on a shift is an alternative way in, not an exclusion;
      * health is NOT checked here (it is checked by intake when verifying: a green code, no
        symptoms, a temperature below 37.3 °C — VolunteerVetting.swift:52-56,
        HealthDeclaration.swift:39);
      * order: same community first, then same street, then fewest tasks held
        (``status = 'assigned'``), then sign-up order ``v.seq`` (:42-43); at most 10 (:44).
  - The first candidate gets the offer at once (OfferChain.start, OfferChain.swift:48-50,
    offerNext :129-142). Nobody eligible -> ``unassigned`` at once, for good: a request is
    never re-dispatched when someone becomes eligible later.
  - The offer lasts 3 minutes (DispatchStore.swift:15), the whole dispatch 15 (:14); the sweeper
    (every 2 s, DispatchServices.swift:63) then moves it on — with a single candidate, to
    ``unassigned``. So accept within 3 minutes of the request being filed.
At accept (DispatchRoutes.swift:24-37, DispatchStore.answer/offDutyReason :109-128, :185-196,
OfferChain.accept OfferChain.swift:53-60): the caller is the holder of the offer (a volunteer
token answers for its subject only, AnswerForm.swift:28-33), the offer has not lapsed, and
the volunteer is still verified, trained and insured; otherwise 409.

What intake checks on the way (Services/Intake/Library):
  - sign-up (Volunteers/SignUpForm.swift:42-78): name <= 50 chars; mainland mobile (11 digits,
    1[3-9]…, Models/MobileNumber.swift); an 18-character ID number with a valid GB 11643 check
    character (Models/ResidentIDNumber.swift); birthYear equal to the ID's and at least 16 years
    ago; homeCommunity a COMMUNITY code that exists; skills among medical, driving, dialect,
    counselling, it, logistics (:23-24); availability windows RFC 3339 with to > from;
    health {symptoms, healthCode, temperature 34–43, vaccinated} all required.
    The call must be open (deadline in the future, not closed) and in the volunteer's district
    (Volunteers/VolunteerStore+SignUp.swift:25). An ID number already registered is answered
    202 as well but registers nobody (:43-44, :71-88): vary the sequence between runs.
    The public answer carries no id (VolunteerRoutes.swift:42-43); a staff token on the same
    call (a station desk) would get 201 {"id"} (:36-41), but the story uses the public path.
  - vetting (Volunteers/VolunteerVetting.swift): verify from pending needs a fit declaration
    (:52-56); record-training / record-insurance for anyone not withdrawn or rejected (:73-76);
    eligible = verified && trained && insured (:37).
  - volunteer token: only for a verified volunteer (VolunteerTokenStore.swift:30); subject = the
    volunteer id, area = their community, signed with the shared secret so matching accepts it.
  - request (Requests/RequestForm.swift:36-54, ServiceKit/HTTP/WorkOrderDetails.swift:19-21):
    category medicine needs details.drugName and details.dose; compound must be a COMPOUND code
    that exists; without a token filedBy must be "resident" (RequestRoutes.swift:37-39).
  - the task read (Requests/RequestHolders.swift:67-88) needs intake to have consumed
    ``matching.request.assigned`` (Events/RequestProgressConsumer.swift:24-33 -> request_holders);
    until then it answers 404.

Waiting (the bus is asynchronous):
  - NOT needed: waiting for matching to consume intake.volunteer.verified / .updated. Matching
    keeps no copy of volunteers; it reads the shared ``volunteers`` table in the same
    transaction that consumes intake.request.created, so once the vetting calls have answered
    200 the volunteer is a candidate. Do file the request only AFTER verify, record-training and
    record-insurance have all answered: the candidates are fixed when the dispatch opens.
  - needed: (a) after POST /v1/requests, until matching consumed intake.request.created: poll
    matching ``GET /v1/me/offers`` (volunteer token) — or ``GET /v1/dispatch-board`` (staff
    token), whose row for the request shows status/holder, and ``unassigned`` when it went
    wrong; (b) after accept, until intake consumed matching.request.assigned: poll intake
    ``GET /v1/requests/{id}/task`` (404 until then) or staff ``GET /v1/requests/{id}`` until
    ``request.status == "assigned"``. Typically well under a second; allow ~30 s.

Plain Python 3.11 stdlib.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, Optional, Tuple

Api = Callable[[str, str, str, Optional[str], Optional[dict]], Tuple[int, Any]]

DISTRICT = "320505"
STREET = "320505-004"
COMMUNITY = "320505-004-012"
COMPOUND = "320505-004-012-03"
STAFF_AREA = STREET  # shouwang token --role staff --area 320505-004

OFFER_SECONDS = 180  # DispatchStore.offerLength: accept within this after the request is filed


class StoryError(AssertionError):
    pass


def _expect(answer: Tuple[int, Any], statuses, what: str) -> Any:
    status, body = answer
    if status not in ((statuses,) if isinstance(statuses, int) else tuple(statuses)):
        raise StoryError(f"{what}: HTTP {status} (expected {statuses}): {body!r}")
    return body


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _wait(condition: Callable[[], Any], timeout: float, every: float = 0.3) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            return result
        time.sleep(every)


def id_number(birth: str = "19850314", sequence: int = 1, region: str = DISTRICT) -> str:
    """An invented resident ID number with a valid GB 11643-1999 check character."""
    body = region + birth + f"{sequence % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(digit) * weight for digit, weight in zip(body, weights))
    return body + "10X98765432"[total % 11]


# MARK: Geography and the call


def make_geography(api: Api, operator_token: str) -> Dict[str, str]:
    """Loads district → street → community → compound and registers a social-work station in
    the street (what a recruitment call needs: an organizationId inside the staff's area)."""
    areas = [
        {"code": DISTRICT, "name": "姑苏区"},
        {"code": STREET, "name": "平江街道"},
        {"code": COMMUNITY, "name": "平江新城社区", "population": 8000},
        {"code": COMPOUND, "name": "和平苑", "population": 1200},
    ]
    loaded = _expect(api("intake", "PUT", "/v1/areas", operator_token, areas), 200, "PUT /v1/areas")
    if loaded.get("loaded") != len(areas):
        raise StoryError(f"PUT /v1/areas loaded {loaded!r}")
    organization = _expect(
        api("intake", "POST", "/v1/organizations", operator_token,
            {"kind": "social-work-station", "name": "平江街道社工站", "area": STREET}),
        201, "POST /v1/organizations")
    return {
        "district": DISTRICT, "street": STREET, "community": COMMUNITY, "compound": COMPOUND,
        "organization_id": organization["id"],
    }


def publish_call(api: Api, staff_token: str, geo: Dict[str, str]) -> str:
    """A recruitment call of the station for the community, 20 people, open for a week."""
    deadline = datetime.now(timezone.utc) + timedelta(days=7)
    page = _expect(
        api("intake", "POST", "/v1/recruitment-calls", staff_token, {
            "organizationId": geo["organization_id"], "area": geo["community"],
            "title": "平江新城社区招募送药志愿者", "roles": ["送药", "配送"],
            "headcount": 20, "enforceHeadcount": False, "deadline": _rfc3339(deadline),
        }),
        201, "POST /v1/recruitment-calls")
    if not page.get("open"):
        raise StoryError(f"the call is not open: {page!r}")
    return page["id"]


# MARK: The volunteer


def sign_up_body(geo: Dict[str, str], sequence: int = 1) -> dict:
    """A public sign-up of a driver living in the request's community, available from an hour
    ago to twelve hours from now, fit (green code, 36.5 °C, no symptoms). ``sequence`` varies
    name, mobile and ID number: a second sign-up with the same ID number registers nobody."""
    now = datetime.now(timezone.utc)
    birth = "19850314"
    return {
        "name": f"李建华{sequence}",
        "mobile": f"139{20250000 + sequence % 10000:08d}",
        "idNumber": id_number(birth=birth, sequence=sequence, region=geo["district"]),
        "birthYear": int(birth[:4]),
        "homeCommunity": geo["community"],
        "skills": ["driving", "medical"],
        "availability": [{"from": _rfc3339(now - timedelta(hours=1)), "to": _rfc3339(now + timedelta(hours=12))}],
        "health": {"symptoms": False, "healthCode": "green", "temperature": 36.5, "vaccinated": True, "recentTravel": False},
    }


def sign_up(api: Api, call_id: str, body: dict) -> None:
    """The public sign-up (no token): 202 and no id, whether new or repeated."""
    answer = _expect(api("intake", "POST", f"/v1/recruitment-calls/{call_id}/sign-ups", None, body), 202,
                     "POST /v1/recruitment-calls/{id}/sign-ups")
    if answer.get("status") != "received":
        raise StoryError(f"sign-up answered {answer!r}")


def find_volunteer(api: Api, staff_token: str, name: str, status: Optional[str] = "pending",
                   area: str = STAFF_AREA) -> str:
    """The id of the volunteer called ``name`` (lists are masked, names are not), via the
    staff list, page by page."""
    after = 0
    while True:
        query = f"/v1/volunteers?area={area}&limit=500&after={after}" + (f"&status={status}" if status else "")
        page = _expect(api("intake", "GET", query, staff_token, None), 200, "GET /v1/volunteers")
        for item in page["items"]:
            if item["name"] == name:
                return item["id"]
        if not page.get("next"):
            raise StoryError(f"no volunteer named {name!r} ({status or 'any status'}) in {area}")
        after = page["next"]


def vet(api: Api, staff_token: str, volunteer_id: str, action: str, reason: Optional[str] = None) -> dict:
    body = {"action": action} if reason is None else {"action": action, "reason": reason}
    return _expect(api("intake", "POST", f"/v1/volunteers/{volunteer_id}/vetting", staff_token, body), 200,
                   f"vetting {action}")


def verify(api: Api, staff_token: str, volunteer_id: str) -> dict:
    """What the browser test's "verify" button does: pending → verified (needs the fit
    health declaration of the sign-up)."""
    vetted = vet(api, staff_token, volunteer_id, "verify")
    if vetted["status"] != "verified":
        raise StoryError(f"verify answered {vetted!r}")
    return vetted


def make_ready_for_duty(api: Api, staff_token: str, volunteer_id: str) -> dict:
    """Everything after verify that matching's candidate query needs: training and insurance
    recorded (eligible = verified && trained && insured). Either order; before or after verify."""
    vet(api, staff_token, volunteer_id, "record-training")
    vetted = vet(api, staff_token, volunteer_id, "record-insurance")
    if not (vetted["trained"] and vetted["insured"]):
        raise StoryError(f"training/insurance not recorded: {vetted!r}")
    return vetted


def volunteer_token(api: Api, staff_token: str, volunteer_id: str, days: int = 1) -> str:
    """The volunteer's phone token, issued by staff (verified volunteers only). Equivalent:
    ``shouwang token --role volunteer --area <community> --subject <volunteer id>``."""
    issued = _expect(api("intake", "POST", f"/v1/volunteers/{volunteer_id}/tokens", staff_token, {"days": days}), 201,
                     "POST /v1/volunteers/{id}/tokens")
    return issued["token"]


# MARK: The request and its dispatch


def medicine_request_body(geo: Dict[str, str], address: str = "3幢 201室") -> dict:
    return {
        "category": "medicine",
        "details": {"drugName": "苯磺酸氨氯地平片", "dose": "5mg 每日一次", "note": "降压药，家中已断药两天"},
        "urgency": "urgent",
        "compound": geo["compound"],
        "address": address,
        "zone": "sealed",
        "contactName": "王老伯",
        "contactPhone": "13912345678",
        "filedBy": "resident",
    }


def file_medicine_request(api: Api, geo: Dict[str, str], address: str = "3幢 201室",
                          token: Optional[str] = None) -> str:
    """A resident's public request (no token, filedBy resident) for blood-pressure pills.
    File it only after verify + training + insurance answered. A second request of the same
    address and category within 24 h is a probable duplicate and is NOT dispatched: pass a
    different ``address`` on a database that already has one."""
    body = medicine_request_body(geo, address)
    created = _expect(api("intake", "POST", "/v1/requests", token, body), 201, "POST /v1/requests")
    if created.get("probableDuplicateOf"):
        raise StoryError(f"filed as a probable duplicate of {created['probableDuplicateOf']}: matching will not dispatch it")
    return created["id"]


def dispatch_row(api: Api, staff_token: str, request_id: str) -> Optional[dict]:
    """The request's row on matching's dispatch board (staff of the street), or None before
    matching consumed intake.request.created."""
    status, board = api("matching", "GET", "/v1/dispatch-board", staff_token, None)
    if status != 200:
        return None
    return next((row for row in board if row["requestId"] == request_id.lower()), None)


def wait_for_offer(api: Api, volunteer_tok: str, request_id: str, staff_token: Optional[str] = None,
                   timeout: float = 30) -> dict:
    """Polls matching ``GET /v1/me/offers`` until the request is offered to this volunteer."""
    wanted = request_id.lower()

    def offered() -> Optional[dict]:
        status, offers = api("matching", "GET", "/v1/me/offers", volunteer_tok, None)
        if status != 200:
            raise StoryError(f"GET /v1/me/offers: HTTP {status}: {offers!r}")
        return next((o for o in offers if o["requestId"] == wanted and o["status"] == "offering"), None)

    offer = _wait(offered, timeout)
    if not offer:
        row = dispatch_row(api, staff_token, request_id) if staff_token else None
        raise StoryError(f"request {request_id} was not offered to the volunteer within {timeout} s; board row: {row!r}")
    return offer


def accept(api: Api, volunteer_tok: str, request_id: str) -> dict:
    answer = _expect(api("matching", "POST", f"/v1/dispatches/{request_id}/accept", volunteer_tok, {}), 200,
                     "POST /v1/dispatches/{id}/accept")
    if answer["status"] != "assigned":
        raise StoryError(f"accept answered {answer!r}")
    return answer


def wait_for_task(api: Api, volunteer_tok: str, request_id: str, timeout: float = 30) -> dict:
    """Polls intake ``GET /v1/requests/{id}/task`` (404 until intake consumed
    matching.request.assigned) and returns the task: address, details.drugName, details.dose."""
    def task() -> Optional[dict]:
        status, body = api("intake", "GET", f"/v1/requests/{request_id}/task", volunteer_tok, None)
        if status == 200:
            return body
        if status != 404:
            raise StoryError(f"GET /v1/requests/{{id}}/task: HTTP {status}: {body!r}")
        return None

    found = _wait(task, timeout)
    if not found:
        raise StoryError(f"the task of {request_id} did not become readable within {timeout} s")
    return found


# MARK: All of it


def run_story(api: Api, operator_token: str, staff_token: str, sequence: int = 1) -> dict:
    """The whole sequence on an empty database; returns what a test wants to look at."""
    geo = make_geography(api, operator_token)
    call_id = publish_call(api, staff_token, geo)
    body = sign_up_body(geo, sequence)
    sign_up(api, call_id, body)
    volunteer_id = find_volunteer(api, staff_token, body["name"])
    verify(api, staff_token, volunteer_id)
    make_ready_for_duty(api, staff_token, volunteer_id)
    phone = volunteer_token(api, staff_token, volunteer_id)
    request_id = file_medicine_request(api, geo, address=f"3幢 {200 + sequence}室")
    offer = wait_for_offer(api, phone, request_id, staff_token)
    accepted = accept(api, phone, request_id)
    task = wait_for_task(api, phone, request_id)
    return {
        "geo": geo, "call_id": call_id, "sign_up": body, "volunteer_id": volunteer_id, "volunteer_token": phone,
        "request_id": request_id, "offer": offer, "accepted": accepted, "task": task,
    }
