"""The ``data`` of every topic as a TypedDict, generated from docs/events.schema.json by
clients/python/generate_topics.py: do not edit.

They are types for your checker (mypy, pyright) and your editor; at run time ``data`` is a
plain dict::

    from shouwang_bus.topics import IntakeRequestCreated, data_of

    if event.topic == "intake.request.created":
        created: IntakeRequestCreated = data_of(event, IntakeRequestCreated)
        print(created["requestId"], created["urgency"])
"""

from typing import Any, Dict, List, Type, TypeVar, TypedDict

from .events import Event

_IntakeCallClosedRequired = TypedDict("_IntakeCallClosedRequired", {"callId": str, "closedAt": str, "deadline": str, "enforceHeadcount": bool, "headcount": int, "roles": List[str]})


class IntakeCallClosed(_IntakeCallClosedRequired, total=False):
    """``data`` of ``intake.call.closed``."""


_IntakeCallPublishedRequired = TypedDict("_IntakeCallPublishedRequired", {"callId": str, "deadline": str, "headcount": int, "roles": List[str]})


class IntakeCallPublished(_IntakeCallPublishedRequired, total=False):
    """``data`` of ``intake.call.published``."""


_IntakeCallUpdatedRequired = TypedDict("_IntakeCallUpdatedRequired", {"callId": str, "deadline": str, "enforceHeadcount": bool, "headcount": int, "roles": List[str]})


class IntakeCallUpdated(_IntakeCallUpdatedRequired, total=False):
    """``data`` of ``intake.call.updated``."""


_IntakeCheckinsRecordedRequired = TypedDict("_IntakeCheckinsRecordedRequired", {"batchId": str, "count": int, "roundId": str, "siteId": str, "tubeBarcodes": List[str]})


class IntakeCheckinsRecorded(_IntakeCheckinsRecordedRequired, total=False):
    """``data`` of ``intake.checkins.recorded``."""


_IntakeRequestCancelledRequired = TypedDict("_IntakeRequestCancelledRequired", {"category": str, "compound": str, "filedBy": str, "previousStatus": str, "requestId": str, "status": str, "urgency": str, "zone": str})


class IntakeRequestCancelled(_IntakeRequestCancelledRequired, total=False):
    """``data`` of ``intake.request.cancelled``."""
    needId: str
    probableDuplicateOf: str


_IntakeRequestCreatedRequired = TypedDict("_IntakeRequestCreatedRequired", {"category": str, "compound": str, "filedBy": str, "requestId": str, "status": str, "urgency": str, "zone": str})


class IntakeRequestCreated(_IntakeRequestCreatedRequired, total=False):
    """``data`` of ``intake.request.created``."""
    needId: str
    probableDuplicateOf: str


_IntakeRequestMergedRequired = TypedDict("_IntakeRequestMergedRequired", {"category": str, "compound": str, "filedBy": str, "mergedInto": str, "previousStatus": str, "requestId": str, "status": str, "urgency": str, "zone": str})


class IntakeRequestMerged(_IntakeRequestMergedRequired, total=False):
    """``data`` of ``intake.request.merged``."""
    needId: str
    probableDuplicateOf: str


_IntakeRequestStatusChangedRequired = TypedDict("_IntakeRequestStatusChangedRequired", {"category": str, "cause": str, "compound": str, "filedBy": str, "previousStatus": str, "requestId": str, "status": str, "urgency": str, "zone": str})


class IntakeRequestStatusChanged(_IntakeRequestStatusChangedRequired, total=False):
    """``data`` of ``intake.request.status-changed``."""
    needId: str
    probableDuplicateOf: str


_IntakeTeamLeaderAppointedRequired = TypedDict("_IntakeTeamLeaderAppointedRequired", {"community": str, "teamId": str, "volunteerId": str})


class IntakeTeamLeaderAppointed(_IntakeTeamLeaderAppointedRequired, total=False):
    """``data`` of ``intake.team.leader-appointed``."""
    previousLeaderId: str


_IntakeTeamMemberJoinedRequired = TypedDict("_IntakeTeamMemberJoinedRequired", {"community": str, "teamId": str, "volunteerId": str})


class IntakeTeamMemberJoined(_IntakeTeamMemberJoinedRequired, total=False):
    """``data`` of ``intake.team.member-joined``."""


_IntakeTeamMemberLeftRequired = TypedDict("_IntakeTeamMemberLeftRequired", {"community": str, "teamId": str, "volunteerId": str, "wasLeader": bool})


class IntakeTeamMemberLeft(_IntakeTeamMemberLeftRequired, total=False):
    """``data`` of ``intake.team.member-left``."""


_IntakeTubePositiveRequired = TypedDict("_IntakeTubePositiveRequired", {"residents": int, "roundId": str, "siteId": str, "tubeBarcode": str})


class IntakeTubePositive(_IntakeTubePositiveRequired, total=False):
    """``data`` of ``intake.tube.positive``."""


_IntakeVolunteerRegisteredRequired = TypedDict("_IntakeVolunteerRegisteredRequired", {"callId": str, "community": str, "eligible": bool, "insured": bool, "skills": List[str], "status": str, "trained": bool, "volunteerId": str})


class IntakeVolunteerRegistered(_IntakeVolunteerRegisteredRequired, total=False):
    """``data`` of ``intake.volunteer.registered``."""
    teamId: str


_IntakeVolunteerReinstatedRequired = TypedDict("_IntakeVolunteerReinstatedRequired", {"community": str, "eligible": bool, "insured": bool, "skills": List[str], "status": str, "trained": bool, "volunteerId": str})


class IntakeVolunteerReinstated(_IntakeVolunteerReinstatedRequired, total=False):
    """``data`` of ``intake.volunteer.reinstated``."""
    teamId: str


_IntakeVolunteerRejectedRequired = TypedDict("_IntakeVolunteerRejectedRequired", {"community": str, "eligible": bool, "insured": bool, "skills": List[str], "status": str, "trained": bool, "volunteerId": str})


class IntakeVolunteerRejected(_IntakeVolunteerRejectedRequired, total=False):
    """``data`` of ``intake.volunteer.rejected``."""
    teamId: str


_IntakeVolunteerSuspendedRequired = TypedDict("_IntakeVolunteerSuspendedRequired", {"community": str, "eligible": bool, "insured": bool, "skills": List[str], "status": str, "trained": bool, "volunteerId": str})


class IntakeVolunteerSuspended(_IntakeVolunteerSuspendedRequired, total=False):
    """``data`` of ``intake.volunteer.suspended``."""
    teamId: str


_IntakeVolunteerUpdatedRequired = TypedDict("_IntakeVolunteerUpdatedRequired", {"community": str, "eligible": bool, "insured": bool, "skills": List[str], "status": str, "trained": bool, "volunteerId": str})


class IntakeVolunteerUpdated(_IntakeVolunteerUpdatedRequired, total=False):
    """``data`` of ``intake.volunteer.updated``."""
    teamId: str


_IntakeVolunteerVerifiedRequired = TypedDict("_IntakeVolunteerVerifiedRequired", {"community": str, "eligible": bool, "insured": bool, "skills": List[str], "status": str, "trained": bool, "volunteerId": str})


class IntakeVolunteerVerified(_IntakeVolunteerVerifiedRequired, total=False):
    """``data`` of ``intake.volunteer.verified``."""
    teamId: str


_IntakeVolunteerWithdrawnRequired = TypedDict("_IntakeVolunteerWithdrawnRequired", {"community": str, "eligible": bool, "insured": bool, "skills": List[str], "status": str, "trained": bool, "volunteerId": str})


class IntakeVolunteerWithdrawn(_IntakeVolunteerWithdrawnRequired, total=False):
    """``data`` of ``intake.volunteer.withdrawn``."""
    teamId: str


_MatchingRequestAssignedRequired = TypedDict("_MatchingRequestAssignedRequired", {"compound": str, "requestId": str, "volunteerId": str})


class MatchingRequestAssigned(_MatchingRequestAssignedRequired, total=False):
    """``data`` of ``matching.request.assigned``."""


_MatchingRequestOfferedRequired = TypedDict("_MatchingRequestOfferedRequired", {"compound": str, "requestId": str, "until": str, "volunteerId": str})


class MatchingRequestOffered(_MatchingRequestOfferedRequired, total=False):
    """``data`` of ``matching.request.offered``."""


_MatchingRequestReleasedRequired = TypedDict("_MatchingRequestReleasedRequired", {"compound": str, "requestId": str})


class MatchingRequestReleased(_MatchingRequestReleasedRequired, total=False):
    """``data`` of ``matching.request.released``."""


_MatchingRequestUnassignedRequired = TypedDict("_MatchingRequestUnassignedRequired", {"compound": str, "reason": str, "requestId": str})


class MatchingRequestUnassigned(_MatchingRequestUnassignedRequired, total=False):
    """``data`` of ``matching.request.unassigned``."""


_MatchingRosterPlannedRequired = TypedDict("_MatchingRosterPlannedRequired", {"area": str, "filled": int, "from": str, "objective": int, "planId": str, "slots": int, "to": str})


class MatchingRosterPlanned(_MatchingRosterPlannedRequired, total=False):
    """``data`` of ``matching.roster.planned``."""


_MatchingShiftAssignedRequired = TypedDict("_MatchingShiftAssignedRequired", {"endsAt": str, "planId": str, "shiftId": str, "startsAt": str, "volunteerId": str})


class MatchingShiftAssigned(_MatchingShiftAssignedRequired, total=False):
    """``data`` of ``matching.shift.assigned``."""


_MatchingShiftShortageRequired = TypedDict("_MatchingShiftShortageRequired", {"area": str, "cause": str, "endsAt": str, "planId": str, "postId": str, "reason": str, "requiredSkills": List[str], "role": str, "shiftId": str, "startsAt": str, "unfilled": int})


class MatchingShiftShortage(_MatchingShiftShortageRequired, total=False):
    """``data`` of ``matching.shift.shortage``."""


_MatchingShiftUnassignedRequired = TypedDict("_MatchingShiftUnassignedRequired", {"reason": str, "shiftId": str, "volunteerId": str})


class MatchingShiftUnassigned(_MatchingShiftUnassignedRequired, total=False):
    """``data`` of ``matching.shift.unassigned``."""


_MatchingShiftWorkedRequired = TypedDict("_MatchingShiftWorkedRequired", {"assignmentId": str, "hours": float, "volunteerId": str})


class MatchingShiftWorked(_MatchingShiftWorkedRequired, total=False):
    """``data`` of ``matching.shift.worked``."""


_MatchingTaskCompletedRequired = TypedDict("_MatchingTaskCompletedRequired", {"compound": str, "hours": float, "requestId": str, "volunteerId": str})


class MatchingTaskCompleted(_MatchingTaskCompletedRequired, total=False):
    """``data`` of ``matching.task.completed``."""


_OutreachCampaignCreatedRequired = TypedDict("_OutreachCampaignCreatedRequired", {"area": str, "callers": int, "campaignId": str, "categories": List[str], "contacts": int})


class OutreachCampaignCreated(_OutreachCampaignCreatedRequired, total=False):
    """``data`` of ``outreach.campaign.created``."""


_OutreachCaseEscalatedRequired = TypedDict("_OutreachCaseEscalatedRequired", {"compound": str, "escalationId": str, "residentId": str, "to": str})


class OutreachCaseEscalated(_OutreachCaseEscalatedRequired, total=False):
    """``data`` of ``outreach.case.escalated``."""


_OutreachFollowupCompletedRequired = TypedDict("_OutreachFollowupCompletedRequired", {"compound": str, "residentId": str})


class OutreachFollowupCompleted(_OutreachFollowupCompletedRequired, total=False):
    """``data`` of ``outreach.followup.completed``."""
    needId: str
    requestId: str


_OutreachFollowupOverdueRequired = TypedDict("_OutreachFollowupOverdueRequired", {"careLevel": str, "compound": str, "dueAt": str, "residentId": str})


class OutreachFollowupOverdue(_OutreachFollowupOverdueRequired, total=False):
    """``data`` of ``outreach.followup.overdue``."""


_OutreachNeedIdentifiedRequired = TypedDict("_OutreachNeedIdentifiedRequired", {"category": str, "compound": str, "needId": str, "residentId": str, "source": str, "urgency": str, "zone": str})


class OutreachNeedIdentified(_OutreachNeedIdentifiedRequired, total=False):
    """``data`` of ``outreach.need.identified``."""


_OutreachNoticePublishedAudienceRequired = TypedDict("_OutreachNoticePublishedAudienceRequired", {"area": str, "group": str})


class OutreachNoticePublishedAudience(_OutreachNoticePublishedAudienceRequired, total=False):
    """Part of another topic's ``data``."""
    category: str


_OutreachNoticePublishedVariantsRequired = TypedDict("_OutreachNoticePublishedVariantsRequired", {"zh": str})


class OutreachNoticePublishedVariants(_OutreachNoticePublishedVariantsRequired, total=False):
    """Part of another topic's ``data``."""


_OutreachNoticePublishedRequired = TypedDict("_OutreachNoticePublishedRequired", {"audience": OutreachNoticePublishedAudience, "noticeId": str, "title": str, "variants": OutreachNoticePublishedVariants})


class OutreachNoticePublished(_OutreachNoticePublishedRequired, total=False):
    """``data`` of ``outreach.notice.published``."""


_OutreachResidentClosedRequired = TypedDict("_OutreachResidentClosedRequired", {"compound": str, "reason": Any, "residentId": str})


class OutreachResidentClosed(_OutreachResidentClosedRequired, total=False):
    """``data`` of ``outreach.resident.closed``."""


_OutreachResidentRegisteredRequired = TypedDict("_OutreachResidentRegisteredRequired", {"careLevel": str, "categories": List[str], "compound": str, "residentId": str})


class OutreachResidentRegistered(_OutreachResidentRegisteredRequired, total=False):
    """``data`` of ``outreach.resident.registered``."""


_OutreachResidentReopenedRequired = TypedDict("_OutreachResidentReopenedRequired", {"careLevel": Any, "categories": List[str], "compound": str, "residentId": str})


class OutreachResidentReopened(_OutreachResidentReopenedRequired, total=False):
    """``data`` of ``outreach.resident.reopened``."""


_OutreachResidentUpdatedRequired = TypedDict("_OutreachResidentUpdatedRequired", {"careLevel": Any, "categories": List[str], "changed": List[Any], "compound": str, "residentId": str})


class OutreachResidentUpdated(_OutreachResidentUpdatedRequired, total=False):
    """``data`` of ``outreach.resident.updated``."""
    previousCompound: str


_SuppliesCompoundStatusChangedRequired = TypedDict("_SuppliesCompoundStatusChangedRequired", {"community": str, "compound": str, "households": int, "status": Any})


class SuppliesCompoundStatusChanged(_SuppliesCompoundStatusChangedRequired, total=False):
    """``data`` of ``supplies.compound.status-changed``."""
    population: int
    previousStatus: Any


_SuppliesDispatchDeliveredRequired = TypedDict("_SuppliesDispatchDeliveredRequired", {"depotId": str, "itemId": str, "quantity": int, "reservationId": str, "status": str})


class SuppliesDispatchDelivered(_SuppliesDispatchDeliveredRequired, total=False):
    """``data`` of ``supplies.dispatch.delivered``."""
    requestId: str
    runId: str
    stopId: str


_SuppliesDispatchFailedRequired = TypedDict("_SuppliesDispatchFailedRequired", {"depotId": str, "itemId": str, "quantity": int, "reservationId": str, "runId": str, "status": str, "stopId": str})


class SuppliesDispatchFailed(_SuppliesDispatchFailedRequired, total=False):
    """``data`` of ``supplies.dispatch.failed``."""
    requestId: str


_SuppliesDispatchPlannedRequired = TypedDict("_SuppliesDispatchPlannedRequired", {"depotId": str, "reservationIds": List[str], "runId": str, "volunteerId": str})


class SuppliesDispatchPlanned(_SuppliesDispatchPlannedRequired, total=False):
    """``data`` of ``supplies.dispatch.planned``."""


_SuppliesDonationPledgedRequired = TypedDict("_SuppliesDonationPledgedRequired", {"depotId": str, "donorKind": str, "itemId": str, "pledgeId": str, "quantity": int})


class SuppliesDonationPledged(_SuppliesDonationPledgedRequired, total=False):
    """``data`` of ``supplies.donation.pledged``."""
    driveId: str


_SuppliesDonationReceivedLotsRequired = TypedDict("_SuppliesDonationReceivedLotsRequired", {"itemId": str, "lotId": str, "quantity": int})


class SuppliesDonationReceivedLots(_SuppliesDonationReceivedLotsRequired, total=False):
    """Part of another topic's ``data``."""


_SuppliesDonationReceivedRequired = TypedDict("_SuppliesDonationReceivedRequired", {"depotId": str, "lots": List[SuppliesDonationReceivedLots], "receiptId": str, "receiptNumber": int})


class SuppliesDonationReceived(_SuppliesDonationReceivedRequired, total=False):
    """``data`` of ``supplies.donation.received``."""
    pledgeId: str


_SuppliesLotExpiringRequired = TypedDict("_SuppliesLotExpiringRequired", {"depotId": str, "expiresAt": str, "itemId": str, "lotId": str, "onHand": int})


class SuppliesLotExpiring(_SuppliesLotExpiringRequired, total=False):
    """``data`` of ``supplies.lot.expiring``."""


_SuppliesPurchaseCancelledRequired = TypedDict("_SuppliesPurchaseCancelledRequired", {"purchaseId": str, "status": str})


class SuppliesPurchaseCancelled(_SuppliesPurchaseCancelledRequired, total=False):
    """``data`` of ``supplies.purchase.cancelled``."""
    amountFen: int
    requestId: str


_SuppliesPurchaseConfirmedRequired = TypedDict("_SuppliesPurchaseConfirmedRequired", {"purchaseId": str, "status": str})


class SuppliesPurchaseConfirmed(_SuppliesPurchaseConfirmedRequired, total=False):
    """``data`` of ``supplies.purchase.confirmed``."""
    amountFen: int
    requestId: str


_SuppliesPurchaseDeliveredRequired = TypedDict("_SuppliesPurchaseDeliveredRequired", {"purchaseId": str, "status": str})


class SuppliesPurchaseDelivered(_SuppliesPurchaseDeliveredRequired, total=False):
    """``data`` of ``supplies.purchase.delivered``."""
    amountFen: int
    requestId: str


_SuppliesPurchaseOpenedRequired = TypedDict("_SuppliesPurchaseOpenedRequired", {"purchaseId": str, "status": str})


class SuppliesPurchaseOpened(_SuppliesPurchaseOpenedRequired, total=False):
    """``data`` of ``supplies.purchase.opened``."""
    amountFen: int
    requestId: str


_SuppliesPurchasePurchasedRequired = TypedDict("_SuppliesPurchasePurchasedRequired", {"purchaseId": str, "status": str})


class SuppliesPurchasePurchased(_SuppliesPurchasePurchasedRequired, total=False):
    """``data`` of ``supplies.purchase.purchased``."""
    amountFen: int
    paidById: str
    paidByKind: Any
    requestId: str


_SuppliesPurchaseQuotedRequired = TypedDict("_SuppliesPurchaseQuotedRequired", {"purchaseId": str, "status": str})


class SuppliesPurchaseQuoted(_SuppliesPurchaseQuotedRequired, total=False):
    """``data`` of ``supplies.purchase.quoted``."""
    amountFen: int
    requestId: str


_SuppliesPurchaseReimbursedRequired = TypedDict("_SuppliesPurchaseReimbursedRequired", {"purchaseId": str, "status": str})


class SuppliesPurchaseReimbursed(_SuppliesPurchaseReimbursedRequired, total=False):
    """``data`` of ``supplies.purchase.reimbursed``."""
    amountFen: int
    reimbursedToId: str
    reimbursedToKind: Any
    requestId: str


_SuppliesReservationCreatedRequired = TypedDict("_SuppliesReservationCreatedRequired", {"depotId": str, "itemId": str, "quantity": int, "reservationId": str, "status": str})


class SuppliesReservationCreated(_SuppliesReservationCreatedRequired, total=False):
    """``data`` of ``supplies.reservation.created``."""
    requestId: str


_SuppliesReservationReleasedRequired = TypedDict("_SuppliesReservationReleasedRequired", {"depotId": str, "itemId": str, "quantity": int, "reservationId": str, "status": str})


class SuppliesReservationReleased(_SuppliesReservationReleasedRequired, total=False):
    """``data`` of ``supplies.reservation.released``."""
    requestId: str


_SuppliesStockLowRequired = TypedDict("_SuppliesStockLowRequired", {"available": int, "depotId": str, "itemId": str, "minimum": int})


class SuppliesStockLow(_SuppliesStockLowRequired, total=False):
    """``data`` of ``supplies.stock.low``."""
    daysOfCover: float


_SuppliesStockTransferredInRequired = TypedDict("_SuppliesStockTransferredInRequired", {"depotId": str, "fromDepotId": str, "itemId": str, "quantity": int})


class SuppliesStockTransferredIn(_SuppliesStockTransferredInRequired, total=False):
    """``data`` of ``supplies.stock.transferred-in``."""


_SuppliesStockTransferredOutRequired = TypedDict("_SuppliesStockTransferredOutRequired", {"depotId": str, "itemId": str, "quantity": int, "toDepotId": str})


class SuppliesStockTransferredOut(_SuppliesStockTransferredOutRequired, total=False):
    """``data`` of ``supplies.stock.transferred-out``."""


_SuppliesStockWrittenOffRequired = TypedDict("_SuppliesStockWrittenOffRequired", {"depotId": str, "itemId": str, "lotId": str, "quantity": int})


class SuppliesStockWrittenOff(_SuppliesStockWrittenOffRequired, total=False):
    """``data`` of ``supplies.stock.written-off``."""


class Probe(TypedDict, total=False):
    """``data`` of ``<stream>.probe.p<N>``."""
    n: int
    run: str


#: The type of each topic's ``data``.
TOPICS: Dict[str, Any] = {
    "intake.call.closed": IntakeCallClosed,
    "intake.call.published": IntakeCallPublished,
    "intake.call.updated": IntakeCallUpdated,
    "intake.checkins.recorded": IntakeCheckinsRecorded,
    "intake.request.cancelled": IntakeRequestCancelled,
    "intake.request.created": IntakeRequestCreated,
    "intake.request.merged": IntakeRequestMerged,
    "intake.request.status-changed": IntakeRequestStatusChanged,
    "intake.team.leader-appointed": IntakeTeamLeaderAppointed,
    "intake.team.member-joined": IntakeTeamMemberJoined,
    "intake.team.member-left": IntakeTeamMemberLeft,
    "intake.tube.positive": IntakeTubePositive,
    "intake.volunteer.registered": IntakeVolunteerRegistered,
    "intake.volunteer.reinstated": IntakeVolunteerReinstated,
    "intake.volunteer.rejected": IntakeVolunteerRejected,
    "intake.volunteer.suspended": IntakeVolunteerSuspended,
    "intake.volunteer.updated": IntakeVolunteerUpdated,
    "intake.volunteer.verified": IntakeVolunteerVerified,
    "intake.volunteer.withdrawn": IntakeVolunteerWithdrawn,
    "matching.request.assigned": MatchingRequestAssigned,
    "matching.request.offered": MatchingRequestOffered,
    "matching.request.released": MatchingRequestReleased,
    "matching.request.unassigned": MatchingRequestUnassigned,
    "matching.roster.planned": MatchingRosterPlanned,
    "matching.shift.assigned": MatchingShiftAssigned,
    "matching.shift.shortage": MatchingShiftShortage,
    "matching.shift.unassigned": MatchingShiftUnassigned,
    "matching.shift.worked": MatchingShiftWorked,
    "matching.task.completed": MatchingTaskCompleted,
    "outreach.campaign.created": OutreachCampaignCreated,
    "outreach.case.escalated": OutreachCaseEscalated,
    "outreach.followup.completed": OutreachFollowupCompleted,
    "outreach.followup.overdue": OutreachFollowupOverdue,
    "outreach.need.identified": OutreachNeedIdentified,
    "outreach.notice.published": OutreachNoticePublished,
    "outreach.resident.closed": OutreachResidentClosed,
    "outreach.resident.registered": OutreachResidentRegistered,
    "outreach.resident.reopened": OutreachResidentReopened,
    "outreach.resident.updated": OutreachResidentUpdated,
    "supplies.compound.status-changed": SuppliesCompoundStatusChanged,
    "supplies.dispatch.delivered": SuppliesDispatchDelivered,
    "supplies.dispatch.failed": SuppliesDispatchFailed,
    "supplies.dispatch.planned": SuppliesDispatchPlanned,
    "supplies.donation.pledged": SuppliesDonationPledged,
    "supplies.donation.received": SuppliesDonationReceived,
    "supplies.lot.expiring": SuppliesLotExpiring,
    "supplies.purchase.cancelled": SuppliesPurchaseCancelled,
    "supplies.purchase.confirmed": SuppliesPurchaseConfirmed,
    "supplies.purchase.delivered": SuppliesPurchaseDelivered,
    "supplies.purchase.opened": SuppliesPurchaseOpened,
    "supplies.purchase.purchased": SuppliesPurchasePurchased,
    "supplies.purchase.quoted": SuppliesPurchaseQuoted,
    "supplies.purchase.reimbursed": SuppliesPurchaseReimbursed,
    "supplies.reservation.created": SuppliesReservationCreated,
    "supplies.reservation.released": SuppliesReservationReleased,
    "supplies.stock.low": SuppliesStockLow,
    "supplies.stock.transferred-in": SuppliesStockTransferredIn,
    "supplies.stock.transferred-out": SuppliesStockTransferredOut,
    "supplies.stock.written-off": SuppliesStockWrittenOff,
}

_TOPIC_OF = {cls: topic for topic, cls in TOPICS.items()}

T = TypeVar("T")


def data_of(event: Event, cls: Type[T]) -> T:
    """``event.data`` as ``cls``, after checking that ``cls`` is the type of the event's topic."""
    expected = _TOPIC_OF.get(cls)
    if expected is not None and expected != event.topic:
        raise TypeError(f"{cls.__name__} is the data of {expected}, not of {event.topic}")
    if expected is None and cls is Probe and ".probe.p" not in event.topic:
        raise TypeError(f"{event.topic} is not a probe topic")
    return event.data  # type: ignore[return-value]


def missing_fields(event: Event) -> List[str]:
    """The required fields of the event's topic that its ``data`` lacks (an empty list for a
    topic this version of the client does not know: newer topics are not errors)."""
    cls = TOPICS.get(event.topic)
    if cls is None:
        return []
    return sorted(f for f in getattr(cls, "__required_keys__", ()) if f not in event.data)
