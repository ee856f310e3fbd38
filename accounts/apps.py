from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Who may do what: the roles' permissions, the user admin, passwords and lockouts."""

    name = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self) -> None:
        from accounts.permissions import sync_role_permissions

        # After every migrate (and every test-database flush): a model added later gets its
        # administrator permissions without a migration of its own.
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")
        # Signing in starts the session's idle and absolute clocks (accounts/idle.py).
        import accounts.idle  # noqa: F401
