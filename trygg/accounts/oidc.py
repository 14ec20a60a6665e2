"""Optional single sign-on with OpenID Connect (Entra ID, ID-porten), configured by environment.

Users are matched on their email address to an existing active account; Trygg does not create
accounts from the identity provider, because access follows from the organisation's own records.
"""

from __future__ import annotations

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from trygg.accounts.models import User


class TryggOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):  # type: ignore[no-untyped-def]
        email = (
            claims.get("email") or claims.get("upn") or claims.get("preferred_username") or ""
        ).strip()
        if not email or (claims.get("email_verified") is False):
            return self.UserModel.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):  # type: ignore[no-untyped-def]
        return None

    def update_user(self, user, claims):  # type: ignore[no-untyped-def]
        return user
