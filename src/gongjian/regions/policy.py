"""The one access policy: what a person may see and change.

Every page, API endpoint, admin list and export gets its records through
:func:`visible`; views never filter by jurisdiction themselves. The rules:

* an administrator (superuser) sees everything;
* an enterprise user sees only records owned by their own enterprise;
* every other role sees records in their jurisdiction, a region subtree (a county
  user sees the county and its towns and villages, a town user only the town);
* a public reviewer sees, within the jurisdiction, only what the model marks public;
* where a model names its participants (a task's units), a department or a town government
  sees only the records its own organisation takes part in;
* only the campaign office and the environment bureau change records, and only
  inside their jurisdiction;
* rankings are published among the units ranked (:func:`visible_for_ranking`): a county or town
  user sees its county ranked among the city's counties (a town among its county's towns, a city
  among the province's cities), not a ranking of one; someone above the ranked level sees the units
  of their jurisdiction. Only the ranking's figures per unit are shown so: the detail below (the
  stations, the towns of another county) stays scoped by :func:`visible`. Those who govern and the
  public reviewers see the air-quality rankings (:data:`SEE_RANKINGS`, published statistics,
  环办监测〔2018〕19号); an enterprise, which is not a unit ranked, sees none; the scorecards that
  compare units stay with those who govern (:data:`COMPARE_UNITS`);
* a page that only some roles may use says who may open it (:data:`COMPARE_UNITS`, :data:`EDIT`
  for the import pages: :mod:`gongjian.core.pages`), and a registry's list is open only to those the
  policy may show some record of its kind (:func:`sees_kind`): the menus offer nothing else.

A model declares how it is tied to regions and owners with a
:class:`~gongjian.core.scope.Scope`; a model without one is visible to superusers
only, so a forgotten declaration fails closed.
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from gongjian.core.pages import PageRule
from gongjian.core.scope import SELF, Scope
from gongjian.core.writes import WriteRule

from .models import OrganisationKind, Region, Role
from .models.person import EDITOR_ROLES

#: Roles that see a record with participants only when their organisation takes part.
PARTICIPANT_ROLES = frozenset({Role.DEPARTMENT, Role.TOWN_GOVERNMENT})

__all__ = ["ACT_AS_UNIT", "COMPARE_UNITS", "EDIT", "OWN_ACCOUNT", "PARTICIPANT_ROLES", "SEE_RANKINGS",
           "SEE_WATER", "SUBMIT_ELECTRICITY", "IsScopedUser", "can_change", "can_place", "can_see", "compares_units",
           "own_jurisdiction", "ranking_peers", "region_of", "scope_of", "sees_kind", "visible",
           "visible_for_ranking"]


# --- who may take each kind of action at all (the record itself is checked by can_change & co.) ---

def _editor(user) -> bool:
    return user.role in EDITOR_ROLES


def _power_company(user) -> bool:
    organisation = getattr(user, "organisation", None)
    return organisation is not None and organisation.kind == OrganisationKind.POWER_COMPANY


#: Registries, lists, warnings, imports, plans, notices and cases: the campaign office and the
#: environment bureau, inside their jurisdiction.
EDIT = WriteRule("edit", _editor, "只有攻坚办和生态环境局可以修改，且只能在本辖区内。")
#: Electricity data are evidence of the stopped-line and control-off alarms: the office's data staff
#: and the power company's feed submit them, never the enterprises checked against them nor the
#: towns and departments.
SUBMIT_ELECTRICITY = WriteRule("submit_electricity", lambda user: _editor(user) or _power_company(user),
                               "用电数据只能由攻坚办、生态环境局的数据人员或供电公司报送。")
#: What a unit named on a record reports on it (a task's progress, a notice's result, a case's
#: rectification, reading its own notices and reminders); whether the unit is named is the
#: service's check. Public reviewers only read.
ACT_AS_UNIT = WriteRule("act_as_unit", lambda user: user.role != Role.PUBLIC_REVIEWER,
                        "只有记录所列的责任单位可以报送；公众评议人员只能查看。")
#: One's own account (API tokens, as one's own password): everyone signed in, for themselves only;
#: the service checks that the token is the person's own (gongjian.regions.tokens.revoke).
OWN_ACCOUNT = WriteRule("own_account", lambda user: True, "只能管理自己账号的API令牌。")


# --- who may open a kind of page at all (gongjian.core.pages; the records on it are visible()'s) ---

def _governs(user) -> bool:
    return user.role not in (Role.ENTERPRISE, Role.PUBLIC_REVIEWER)


#: Scorecards and the other pages that compare units with each other (an assessment, 考核): those
#: who govern, not an enterprise or a public reviewer.
COMPARE_UNITS = PageRule("compare_units", _governs,
                         _("Only the governments, their campaign offices, bureaus and departments see units "
                           "compared in scorecards; enterprises and public reviewers do not."))
#: The air-quality rankings are published statistics (the ranking rules of 环办监测〔2018〕19号 are
#: for publication): those who govern and the public reviewers see them; an enterprise is not a unit
#: ranked and sees only its own records.
SEE_RANKINGS = PageRule("see_rankings", lambda user: _governs(user) or user.role == Role.PUBLIC_REVIEWER,
                        _("Rankings are for the governments, their offices and departments and the public "
                          "reviewers; an enterprise account sees only its own enterprise's records."))

#: The water pages (sections with their samples and results, the target schedule, the alarms): those
#: who govern. A public reviewer has the public page of the monthly classes; an enterprise has no
#: business with the sections.
SEE_WATER = PageRule("see_water", _governs,
                     _("The water pages are for the governments, their offices and departments; public reviewers "
                       "see the public page of the sections' monthly classes."))


def scope_of(model: type[Model]) -> Scope | None:
    return getattr(model, "scope", None)


def _path(lookup: str, field: str) -> str:
    return f"{lookup}__{field}" if lookup else field


def _jurisdiction_q(scope: Scope, region: Region) -> Q:
    condition = Q(**{_path(scope.region, "path__startswith"): region.path})
    if scope.inherited:  # the regions above: every proper prefix of the materialised path
        above = [region.path[:i] for i in range(region.steplen, len(region.path), region.steplen)]
        condition |= Q(**{_path(scope.region, "path__in"): above})
    return condition


def _public_q(scope: Scope) -> Q | None:
    if scope.public is True:
        return Q()
    if isinstance(scope.public, str):
        return Q(**{scope.public: True})
    return None


def visible(user, queryset: QuerySet) -> QuerySet:
    """``queryset`` limited to what ``user`` may see."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user.is_superuser:
        return queryset
    scope = scope_of(queryset.model)
    if scope is None:
        return queryset.none()
    if user.role == Role.ENTERPRISE:
        if scope.organisation is None or user.organisation_id is None:
            return queryset.none()
        return queryset.filter(**{_path(scope.organisation, "pk"): user.organisation_id})
    if scope.participant is not None and user.role in PARTICIPANT_ROLES:
        if user.organisation_id is None:
            return queryset.none()
        return queryset.filter(pk__in=queryset.filter(**{_path(scope.participant, "pk"): user.organisation_id})
                               .values("pk"))
    if user.jurisdiction_id is None:
        return queryset.none()
    return _in_region(user, queryset, scope, user.jurisdiction)


def _in_region(user, queryset: QuerySet, scope: Scope, region: Region) -> QuerySet:
    """The records of ``queryset`` in ``region``'s subtree, and for a public reviewer only those the
    model marks public: the one reading of a scope that :func:`visible` and
    :func:`visible_for_ranking` share, each with its own region."""
    condition = Q() if scope.region is None else _jurisdiction_q(scope, region)
    if user.role == Role.PUBLIC_REVIEWER:
        public = _public_q(scope)
        if public is None:
            return queryset.none()
        condition &= public
    return queryset.filter(condition)


def can_see(user, obj: Model) -> bool:
    return visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def can_change(user, obj: Model) -> bool:
    """May ``user`` edit or delete this existing record?"""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False) or user.role not in EDITOR_ROLES:
        return False
    region = region_of(obj)
    if region is not None and not can_place(user, region):
        return False  # seen from below (an inherited record) is not changed from below
    return can_see(user, obj)


def can_place(user, region: Region | None) -> bool:
    """May ``user`` create or move a record into ``region``? (Editors, inside their jurisdiction.)"""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False) or user.role not in EDITOR_ROLES:
        return False
    if region is None or user.jurisdiction_id is None:
        return False
    return region.path.startswith(user.jurisdiction.path)


def own_jurisdiction(user) -> QuerySet[Region]:
    """The regions ``user`` speaks for as that level's own office, where the regions' own documents (a
    plan) are entered: an editor's jurisdiction itself, not the towns below it (their offices enter
    their own) nor the city above it; an administrator's, the provinces and cities."""
    if getattr(user, "is_superuser", False):
        return Region.objects.filter(depth__lte=2)
    if user.jurisdiction_id is None or not can_place(user, user.jurisdiction):
        return Region.objects.none()
    return Region.objects.filter(pk=user.jurisdiction_id)


def compares_units(user) -> bool:
    """May ``user`` see units compared with each other (scorecards of counties and departments)? Those
    who govern may; an enterprise or a public reviewer may not (:data:`COMPARE_UNITS`)."""
    return COMPARE_UNITS.allows(user)


def sees_kind(user, model: type[Model]) -> bool:
    """May the policy show ``user`` any record of ``model`` at all (a registry's list worth offering)?
    False where :func:`visible` refuses the whole kind by rule (no declaration, an enterprise and a
    model no enterprise owns, a public reviewer and a model with no public part), whatever is stored."""
    return not visible(user, model._default_manager.all()).query.is_empty()


def _publishing_region(user, level: int) -> Region | None:
    """The region whose units of ``level`` a ranking shown to ``user`` ranks: for a person at or below
    that level, the region above their own unit of that level (a county's city, a town's county); for
    a person above it, their jurisdiction."""
    own = user.jurisdiction
    if own.level < level:
        return own
    chain = list(own.ancestors_and_self())
    unit = next((r for r in chain if r.level == level), None)
    if unit is None:  # no unit of that level above this jurisdiction (a zone straight under a city)
        return None
    above = [r for r in chain if r.depth < unit.depth]
    return above[-1] if above else unit


def visible_for_ranking(user, queryset: QuerySet, level: int) -> QuerySet:
    """``queryset`` limited to the records a ranking of the units of ``level`` (a
    :class:`~gongjian.regions.models.RegionLevel`) shown to ``user`` is computed from: rankings are
    published among the units ranked, so those of every peer of the person's own unit (the city's
    counties for a county or one of its towns), as the office above them sees them. A service ranks
    with it and shows each unit's figures only; what it lists record by record stays :func:`visible`'s.
    An enterprise sees no ranking; a public reviewer only what is public."""
    if not SEE_RANKINGS.allows(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    scope = scope_of(queryset.model)
    if scope is None or user.jurisdiction_id is None:
        return queryset.none()
    region = _publishing_region(user, level)
    if region is None:
        return queryset.none()
    return _in_region(user, queryset, scope, region)


def ranking_peers(user, level: int) -> QuerySet[Region]:
    """The regions of ``level`` a ranking shown to ``user`` ranks (:func:`visible_for_ranking`)."""
    return visible_for_ranking(user, Region.objects.filter(level=level), level)


def region_of(obj: Model) -> Region | None:
    """The region a record belongs to, following its scope declaration."""
    scope = scope_of(type(obj))
    if scope is None or scope.region is None:
        return None
    if scope.region == SELF:
        return obj
    target = obj
    for part in scope.region.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


class IsScopedUser(BasePermission):
    """API permission: signed-in people read; editors write within their jurisdiction.

    Record visibility itself comes from :func:`visible` in the viewsets' querysets, so an
    out-of-scope record answers 404, exactly as if it did not exist. A view may name another rule
    of this module for its writes (``write_rule = SUBMIT_ELECTRICITY``)."""

    write_policy = True  # the write guard admits API views governed by the policy

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        rule = getattr(view, "write_rule", EDIT)
        self.message = rule.summary  # REST framework's refusal then says who may, not only "no"
        return rule.allows(user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return can_change(request.user, obj)

