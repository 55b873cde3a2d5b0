"""API tokens expire, can be revoked and record their last use; failures have a kind.

Tokens issued before this migration get the default lifetime from when they were made,
so a token that is already older than that stops working at once, as a new one would.
"""

from datetime import timedelta
from typing import Any

from django.db import migrations, models

LIFETIME_DAYS = 90  # settings.API_TOKEN_DAYS when this migration was written


def expire_old_tokens(apps: Any, schema_editor: Any) -> None:
    """Give every existing token an expiry: its creation plus the default lifetime."""
    token_model = apps.get_model("web", "ApiToken")
    for token in token_model.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + timedelta(days=LIFETIME_DAYS)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="failedlogin",
            name="kind",
            field=models.CharField(default="password", max_length=8),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(expire_old_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
