"""Pages of the regions app beyond the generated registry pages, and one's own API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from gongjian.core.forms import problems as form_problems
from gongjian.core.problems import InvalidInput
from gongjian.core.views import bind, submit
from gongjian.core.writes import writes

from . import policy, services, tokens
from .forms import BoundaryImportForm, ResolveForm, TokenCreateForm, TokenRevokeForm
from .models import ApiToken


@login_required
@writes(policy.EDIT)
def import_boundaries_view(request):
    """Upload region outlines; every problem is listed and nothing is saved unless all are fine."""
    if not request.user.role_can_edit:
        raise PermissionDenied
    form = bind(request, BoundaryImportForm)
    problems, imported = [], []
    if form.is_bound and not form.is_valid():
        problems = form_problems(form)
    elif form.is_bound:
        upload = form.cleaned_data["file"]
        try:
            imported = services.import_boundaries(
                upload.read(), match_by=form.cleaned_data["match_by"], source=upload.name,
                may_change=lambda region: policy.can_place(request.user, region))
        except InvalidInput as exc:
            problems = exc.problems
    return render(request, "regions/import_boundaries.html",
                  {"form": form, "problems": problems, "imported": imported, "title": _("Import boundaries")},
                  status=400 if problems else 200)


@login_required
def resolve_view(request):
    """Check how a name in a document resolves to an organisation (and why). A tool for the
    editors who map imported documents, so limited to them."""
    if not request.user.role_can_edit:
        raise PermissionDenied
    form = ResolveForm(request.user, request.GET or None)
    resolution = services.resolve_organisation(form.cleaned_data["name"], form.cleaned_data["context"]) \
        if form.is_bound and form.is_valid() else None
    template = "regions/_resolution.html" if request.htmx else "regions/resolve.html"
    return render(request, template, {"form": form, "resolution": resolution, "title": _("Resolve a name")})


def _tokens_page(request, create_form, revoke_form, new_token: str = "", status: int = 200):
    return render(request, "regions/tokens.html", {
        "title": _("API tokens"), "tokens": ApiToken.objects.filter(person=request.user),
        "form": create_form, "revoke_form": revoke_form, "new_token": new_token,
        "problems": form_problems(create_form) + form_problems(revoke_form)}, status=status)


@never_cache  # the answer that shows a new token in full is kept by no cache
@login_required
@writes(policy.OWN_ACCOUNT)
def tokens_view(request):
    """One's own API tokens: make one (shown in full on this answer only, never again) and see the
    others masked, with when each was last used."""
    form = bind(request, TokenCreateForm)
    made = submit(form, lambda data: tokens.issue(request.user, data["name"]))
    if made is not None:
        return _tokens_page(request, TokenCreateForm(request.user), TokenRevokeForm(request.user), new_token=made[1])
    return _tokens_page(request, form, TokenRevokeForm(request.user), status=400 if form.errors else 200)


@login_required
@writes(policy.OWN_ACCOUNT)
def token_revoke_view(request):
    """Revoke one of one's own tokens; the API refuses it from the next request on."""
    form = bind(request, TokenRevokeForm)

    def revoke(data):
        tokens.revoke(data["token"], request.user)
        messages.success(request, _("Token %(token)s revoked.") % {"token": data["token"].masked})
        return redirect("regions:tokens")

    response = submit(form, revoke)
    if response is not None:
        return response
    if request.method != "POST":
        return redirect("regions:tokens")
    return _tokens_page(request, TokenCreateForm(request.user), form, status=400)
