"""The section classifier's models in the admin: when trained, on what, how accurate; retrain."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cupure.sectioning import services
from cupure.sectioning.models import SectionModel


@admin.register(SectionModel)
class SectionModelAdmin(admin.ModelAdmin):
    list_display = ("trained_at", "train_count", "accuracy", "held_out_count", "sections", "duration_ms")
    fields = (
        "trained_at",
        "labels",
        "label_counts",
        "train_count",
        "accuracy",
        "held_out_count",
        "duration_ms",
    )
    readonly_fields = fields
    actions = ["retrain"]

    @admin.display(description="Sections")
    def sections(self, obj: SectionModel) -> str:
        return ", ".join(obj.labels or [])

    def get_queryset(self, request: HttpRequest) -> QuerySet[SectionModel]:
        return super().get_queryset(request).defer("model")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Retrain the section classifier now")
    def retrain(self, request: HttpRequest, queryset: QuerySet[SectionModel]) -> None:
        services.section_classifier_retrain()
        messages.success(request, "The section classifier was retrained (if there were enough articles).")
