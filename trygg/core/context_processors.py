"""Navigation for the base layout, built from what the user may see."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from trygg.org.access import can_import
from trygg.org.principal import get_principal


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    principal = get_principal(user)
    if not principal.is_member:
        return {"nav_items": [], "principal_roles": []}
    items = [
        (_("My tasks"), reverse("core:home")),
        (_("Organisation"), reverse("org:overview")),
        (_("Units"), reverse("org:unit_list")),
        (_("People"), reverse("org:person_list")),
        (_("Safety areas"), reverse("org:safety_area_list")),
        (_("Committees"), reverse("org:committee_list")),
        (_("Partners"), reverse("org:partners")),
    ]
    if can_import(user):
        items.append((_("Import"), reverse("org:import_start")))
    if principal.is_admin:
        items.append((_("Audit log"), reverse("core:audit_log")))
    path = request.path
    home = reverse("core:home")
    nav = []
    for label, url in items:
        current = path == url if url == home else path.startswith(url)
        nav.append({"label": label, "url": url, "current": current})
    # Only the longest matching prefix is the current page.
    matches = [item for item in nav if item["current"]]
    if len(matches) > 1:
        longest = max(matches, key=lambda item: len(str(item["url"])))
        for item in nav:
            item["current"] = item is longest
    return {"nav_items": nav, "principal_roles": principal.role_labels()}
