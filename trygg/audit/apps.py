from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "trygg.audit"
    label = "audit"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_save

        from trygg.audit import queries
        from trygg.audit.models import AuditEntry

        request_started.connect(queries.request_started, dispatch_uid="audit-version-start")
        request_finished.connect(queries.request_finished, dispatch_uid="audit-version-end")
        post_save.connect(queries.entry_written, sender=AuditEntry, dispatch_uid="audit-version")
