"""Navigation for the base layout, built from what the user may see.

The entries come from `trygg.lib.navigation`: the shell's own (below, in `register_menu`) and
each domain app's, registered in its AppConfig.ready().
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.lib import navigation
from trygg.org.access import can_import
from trygg.org.principal import get_principal


def register_menu() -> None:
    """The shell's entries: "Mine oppgaver" first, the organisation pages after the modules."""
    navigation.register(0, _("My tasks"), "core:home")
    navigation.register(100, _("Organisation"), "org:overview")
    navigation.register(110, _("Units"), "org:unit_list")
    navigation.register(120, _("People"), "org:person_list")
    navigation.register(130, _("Safety areas"), "org:safety_area_list")
    navigation.register(140, _("Committees"), "org:committee_list")
    navigation.register(150, _("Partners"), "org:partners")
    navigation.register(200, _("Import"), "org:import_start", can_import)
    navigation.register(210, _("Audit log"), "core:audit_log", lambda u: get_principal(u).is_admin)


def navigation_context(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    principal = get_principal(user)
    if not principal.is_member:
        return {"nav_items": [], "principal_roles": []}
    path = request.path
    home = reverse("core:home")
    nav = []
    for entry in navigation.entries_for(user):
        url = reverse(entry.url_name)
        current = path == url if url == home else path.startswith(url)
        nav.append({"label": str(entry.label), "url": url, "current": current})
    # Only the longest matching prefix is the current page.
    matches = [item for item in nav if item["current"]]
    if len(matches) > 1:
        longest = max(matches, key=lambda item: len(str(item["url"])))
        for item in nav:
            item["current"] = item is longest
    return {"nav_items": nav, "principal_roles": principal.role_labels()}
