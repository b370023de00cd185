from django.urls import include, path
from django.views.i18n import set_language
from two_factor.views import LoginView, QRGeneratorView, SetupCompleteView

from punte.accounts.views import AuditedBackupTokensView, AuditedSetupView
from punte.api.urls import api

two_factor_patterns = (
    [
        path("account/login/", LoginView.as_view(), name="login"),
        path("account/two-factor/setup/", AuditedSetupView.as_view(), name="setup"),
        path("account/two-factor/qrcode/", QRGeneratorView.as_view(), name="qr"),
        path("account/two-factor/setup/complete/", SetupCompleteView.as_view(), name="setup_complete"),
        path("account/two-factor/recovery-codes/", AuditedBackupTokensView.as_view(), name="backup_tokens"),
    ],
    "two_factor",
)

urlpatterns = [
    path("", include(two_factor_patterns)),
    path("", include("punte.core.urls")),
    path("", include("punte.accounts.urls")),
    path("", include("punte.cases.urls")),
    path("", include("punte.assessments.urls")),
    path("audit/", include("punte.audit.urls")),
    path("reference/", include("punte.reference.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
]
