"""The trail is read-only here: no add, change or delete for anyone, superusers included."""
from django.contrib import admin

from .models import AuditEvent, CommentReply, FieldChange, ReviewComment, Snapshot


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FieldChangeInline(admin.TabularInline):
    model = FieldChange
    extra = 0
    fields = ["object_label", "field", "old", "new"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "package_label", "actor_name", "role", "kind", "action", "from_state", "to_state",
                    "remote_addr"]
    list_filter = ["kind", "role", "to_state"]
    search_fields = ["package_label", "actor_name", "note"]
    inlines = [FieldChangeInline]


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["package", "number", "edition", "created_at", "created_by", "total_score", "grade", "approved",
                    "superseded", "sha256"]
    list_filter = ["approved", "superseded"]
    exclude = ["data"]


class CommentReplyInline(admin.TabularInline):
    model = CommentReply
    extra = 0
    readonly_fields = ["author", "role", "kind", "text", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    list_display = ["package", "section_key", "row_label", "author", "role", "status", "created_at"]
    list_filter = ["status", "role"]
    search_fields = ["text", "package__department__name"]
    inlines = [CommentReplyInline]
