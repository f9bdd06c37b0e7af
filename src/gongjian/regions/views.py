"""Pages of the regions app beyond the generated registry pages."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import problems as form_problems
from gongjian.core.problems import InvalidInput
from gongjian.core.views import bind
from gongjian.core.writes import writes

from . import policy, services
from .forms import BoundaryImportForm, ResolveForm


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
