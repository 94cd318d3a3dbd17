from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from cupure.accounts.models import Profile, RateCounter

User = get_user_model()


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fk_name = "user"
    fields = ("email_verified_at", "approved_comments", "banned_at", "ban_reason", "banned_by")
    raw_id_fields = ("banned_by",)


class CupureUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "email", "is_staff", "is_active", "date_joined", "last_login")


admin.site.unregister(User)
admin.site.register(User, CupureUserAdmin)


@admin.register(RateCounter)
class RateCounterAdmin(admin.ModelAdmin):
    list_display = ("key", "count", "window_ends")
    search_fields = ("key",)
