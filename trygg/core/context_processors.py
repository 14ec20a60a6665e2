"""Navigation for the base layout, built from what the user may see.

The entries come from `trygg.lib.navigation`: the shell's own (below, in `register_menu`) and
each domain app's, registered in its AppConfig.ready(). The organisation's own pages (units,
people, safety areas, committees, partners) form the sub-menu of "Organisasjon".
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from trygg.lib import navigation
from trygg.lib.typing import AnyUser
from trygg.org.access import can_import
from trygg.org.principal import get_principal

ORGANISATION = "org:overview"


def _is_admin(user: AnyUser) -> bool:
    return get_principal(user).is_admin


def register_menu() -> None:
    """The shell's entries: "Mine oppgaver" first, the organisation after the modules."""
    navigation.register(0, _("My tasks"), "core:home")
    navigation.register(100, _("Organisation"), ORGANISATION)
    for position, label, url_name, visible in [
        (0, _("Overview"), ORGANISATION, None),
        (10, _("Units"), "org:unit_list", None),
        (20, _("People"), "org:person_list", None),
        (30, _("Safety areas"), "org:safety_area_list", None),
        (40, _("Committees"), "org:committee_list", None),
        (50, _("Partners"), "org:partners", None),
        (60, _("Import"), "org:import_start", can_import),
        (70, _("Audit log"), "core:audit_log", _is_admin),
    ]:
        navigation.register(
            position, label, url_name, visible or (lambda user: True), section=ORGANISATION
        )


_urls: dict[tuple[object, str, str], str] = {}


def _url(name: str) -> str:
    """`reverse(name)` of a menu entry, kept: the menu is built on every page, and the address
    of a URL name without arguments changes only with the URLconf or the script prefix."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name)
    found = _urls.get(key)
    if found is None:
        found = _urls[key] = reverse(name)
    return found


def _links(request: HttpRequest, entries: list[navigation.MenuEntry]) -> list[dict[str, object]]:
    path = request.path
    home = _url("core:home")
    links = []
    for entry in entries:
        url = _url(entry.url_name)
        current = path == url if url in (home, _url(ORGANISATION)) else path.startswith(url)
        links.append({"label": str(entry.label), "url": url, "current": current})
    # Only the longest matching prefix is the current page.
    matches = [link for link in links if link["current"]]
    if len(matches) > 1:
        longest = max(matches, key=lambda link: len(str(link["url"])))
        for link in links:
            link["current"] = link is longest
    return links


def navigation_context(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    principal = get_principal(user)
    if not principal.is_member:
        return {"nav_items": [], "principal_roles": []}
    main = navigation.entries_for(user)
    context: dict[str, object] = {"principal_roles": principal.role_labels()}
    nav = _links(request, main)
    sub_links: list[dict[str, object]] = []
    section_label = ""
    sections = navigation.sections()
    for entry, link in zip(main, nav, strict=True):
        if entry.url_name not in sections:
            continue
        links = _links(request, navigation.entries_for(user, entry.url_name))
        if any(sub["current"] for sub in links):
            # On a page of a sub-menu, its main entry is the current section.
            for other in nav:
                other["current"] = other is link
            sub_links, section_label = links, str(entry.label)
            break
    context.update(nav_items=nav, subnav_items=sub_links, subnav_label=section_label)
    return context
