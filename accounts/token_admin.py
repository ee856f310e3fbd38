"""Personal API tokens in the admin: administrators see every token (never its secret, which
is not kept) and every use, and can revoke a token. Tokens are made by their users on the
account page, or with ``manage.py create_token``, so the admin adds none."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from indicators.models import ApiToken, ApiTokenUse


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at", "state")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token.revoke()
        messages.success(request, f"{queryset.count()} token(s) revoked.")


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(admin.ModelAdmin):
    list_display = ("at", "token", "method", "path", "status", "address")
    list_filter = ("status",)
    search_fields = ("token__name", "token__user__username", "path")
    list_select_related = ("token",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
