"""`/api/v1/`: the same services and selectors as the pages, behind bearer tokens."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from punte.accounts import selectors as account_selectors
from punte.accounts import services as account_services
from punte.accounts.actor import Actor
from punte.accounts.roles import Action
from punte.audit.selectors import audit_event_list
from punte.core.errors import NotFound, ValidationError
from punte.reference import selectors as reference_selectors

from .base import ERRORS, api, requires


def actor_of(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


# Schemas


class OrganizationRef(Schema):
    id: int
    name: str


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    county: str = Field(..., alias="county_id")
    is_active: bool
    created_at: datetime


class OrganizationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: str
    county: str = Field(..., description="ISO 3166-2:RO code, e.g. RO-CJ")
    is_active: bool = True


class OrganizationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = None
    county: str | None = None
    is_active: bool | None = None


class MembershipOut(Schema):
    id: int
    user: int = Field(..., alias="user_id")
    username: str = Field(..., alias="user.username")
    organization: OrganizationRef
    role: str
    is_active: bool


class MembershipIn(Schema):
    user: int
    organization: int
    role: str


class MembershipPatch(Schema):
    role: str | None = None
    is_active: bool | None = None


class MeMembership(Schema):
    organization: OrganizationRef
    role: str


class MeOut(Schema):
    username: str
    display_name: str
    organization: OrganizationRef | None
    role: str | None
    memberships: list[MeMembership]


class AuditEventOut(Schema):
    id: int
    time: datetime = Field(..., alias="created_at")
    kind: str
    action: str
    actor: str | None = Field(None, alias="actor.username")
    organization: int | None = Field(None, alias="organization_id")
    target_type: str
    target_id: str
    fields: list[str]
    request_id: str
    ip: str | None
    user_agent: str
    chain: str
    seq: int


class AuditQuery(Schema):
    actor: int | None = None
    organization: int | None = None
    target_type: str | None = None
    target_id: str | None = None
    action: str | None = None
    kind: str | None = None
    date_from: str | None = Field(None, description="YYYY-MM-DD")
    date_to: str | None = Field(None, description="YYYY-MM-DD")


class CountyOut(Schema):
    code: str
    name: str
    auto_code: str
    nuts3_code: str
    region: str = Field(..., alias="region_id")


class GroupingOut(Schema):
    code: str
    kind: str
    name_ro: str
    name_en: str
    counties: list[str]

    @staticmethod
    def resolve_counties(obj: Any) -> list[str]:
        return [county.code for county in obj.counties.all()]


# Me


@api.get("/me", response={200: MeOut, **ERRORS}, tags=["account"], summary="The signed-in user, organizations and roles")
def me(request: HttpRequest) -> dict[str, Any]:
    actor = actor_of(request)
    assert actor.user is not None
    return {
        "username": actor.user.username,
        "display_name": actor.user.display_name,
        "organization": actor.organization,
        "role": actor.role.value if actor.role else None,
        "memberships": [{"organization": m.organization, "role": m.role} for m in actor.memberships],
    }


# Organizations


@api.get(
    "/organizations",
    response={200: list[OrganizationOut], **ERRORS},
    tags=["organizations"],
    auth=requires(Action.ORGANIZATION_VIEW_ALL),
)
@paginate(LimitOffsetPagination)
def organizations_list(request: HttpRequest, q: str = "", kind: str = "", county: str = "", is_active: bool | None = None) -> Any:
    actor = actor_of(request)
    filters = account_selectors.OrganizationFilters(query=q, kind=kind, county=county, is_active=is_active)
    return account_selectors.organization_list(actor=actor, filters=filters)


@api.post(
    "/organizations", response={201: OrganizationOut, **ERRORS}, tags=["organizations"], auth=requires(Action.ORGANIZATION_MANAGE)
)
def organizations_create(request: HttpRequest, payload: OrganizationIn) -> Status[Any]:
    organization = account_services.organization_create(
        actor=actor_of(request), name=payload.name, kind=payload.kind, county_code=payload.county, is_active=payload.is_active
    )
    return Status(201, organization)


@api.get(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **ERRORS},
    tags=["organizations"],
    auth=requires(Action.ORGANIZATION_VIEW_ALL),
)
def organizations_get(request: HttpRequest, organization_id: int) -> Any:
    actor = actor_of(request)
    return account_selectors.organization_get(actor=actor, pk=organization_id)


@api.patch(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **ERRORS},
    tags=["organizations"],
    auth=requires(Action.ORGANIZATION_MANAGE),
)
def organizations_update(request: HttpRequest, organization_id: int, payload: OrganizationPatch) -> Any:
    actor = actor_of(request)
    organization = account_selectors.organization_get(actor=actor, pk=organization_id)
    return account_services.organization_update(
        actor=actor,
        organization=organization,
        name=payload.name if payload.name is not None else organization.name,
        kind=payload.kind if payload.kind is not None else organization.kind,
        county_code=payload.county if payload.county is not None else organization.county_id,
        is_active=payload.is_active if payload.is_active is not None else organization.is_active,
    )


# Memberships


@api.get("/memberships", response={200: list[MembershipOut], **ERRORS}, tags=["memberships"], auth=requires(Action.USER_MANAGE))
@paginate(LimitOffsetPagination)
def memberships_list(request: HttpRequest, organization: int | None = None, user: int | None = None) -> Any:
    actor = actor_of(request)
    return account_selectors.membership_list(actor=actor, organization_id=organization, user_id=user)


@api.post("/memberships", response={201: MembershipOut, **ERRORS}, tags=["memberships"], auth=requires(Action.USER_MANAGE))
def memberships_create(request: HttpRequest, payload: MembershipIn) -> Status[Any]:
    actor = actor_of(request)
    try:
        user = account_selectors.user_get(actor=actor, pk=payload.user)
    except NotFound as error:
        raise ValidationError(details={"user": [str(error.message)]}) from error
    try:
        organization = account_selectors.organization_get(actor=actor, pk=payload.organization)
    except NotFound as error:
        raise ValidationError(details={"organization": [str(error.message)]}) from error
    membership = account_services.membership_create(actor=actor, user=user, organization=organization, role=payload.role)
    return Status(201, account_selectors.membership_get(actor=actor, pk=membership.pk))


@api.patch(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **ERRORS},
    tags=["memberships"],
    auth=requires(Action.USER_MANAGE),
)
def memberships_update(request: HttpRequest, membership_id: int, payload: MembershipPatch) -> Any:
    actor = actor_of(request)
    membership = account_selectors.membership_get(actor=actor, pk=membership_id)
    return account_services.membership_update(
        actor=actor,
        membership=membership,
        role=payload.role if payload.role is not None else membership.role,
        is_active=payload.is_active if payload.is_active is not None else membership.is_active,
    )


# Audit trail


@api.get(
    "/audit-events", response={200: list[AuditEventOut], **ERRORS}, tags=["audit"], auth=requires(Action.AUDIT_VIEW_ORGANIZATION)
)
@paginate(LimitOffsetPagination)
def audit_events_list(request: HttpRequest, filters: Query[AuditQuery]) -> Any:
    actor = actor_of(request)
    data = {key: str(value) for key, value in filters.dict().items() if value not in (None, "")}
    events, _ = audit_event_list(actor=actor, data=data)
    return events


# Reference data


@api.get("/counties", response={200: list[CountyOut], **ERRORS}, tags=["reference"], auth=requires(Action.REFERENCE_VIEW))
def counties_list(request: HttpRequest) -> Any:
    actor = actor_of(request)
    return list(reference_selectors.county_list(actor=actor))


@api.get("/groupings", response={200: list[GroupingOut], **ERRORS}, tags=["reference"], auth=requires(Action.REFERENCE_VIEW))
def groupings_list(request: HttpRequest) -> Any:
    actor = actor_of(request)
    return list(reference_selectors.grouping_list(actor=actor))
