"""The demo's identity provider: Veenhorst's demo users log in with a fictional organisation account through the
local OpenID provider, which the demo starts and points Meldroute at."""

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from tests.factories import OrganisationFactory, UserFactory
from tests.oidc_support import sign_in_at_idp, start_at_idp

from meldroute.accounts.constants import Role
from meldroute.demo.idp import IDP_MUNICIPALITY, IDP_PASSWORD, WITHOUT_MFA, idp_accounts, start_demo_idp, subject_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def veenhorst():
    organisation = OrganisationFactory(code=IDP_MUNICIPALITY, name="Gemeente Veenhorst")
    af = UserFactory(username="af.veenhorst", organisation=organisation, roles=[Role.AF],
                     oidc_subject=subject_for("af.veenhorst"), email="af.veenhorst@demo.example")
    melder = UserFactory(username="melder2.veenhorst", organisation=organisation, roles=[Role.MELDER],
                         oidc_subject=subject_for("melder2.veenhorst"), email="melder2.veenhorst@demo.example")
    UserFactory(username="af.elders", roles=[Role.AF])  # another municipality: local accounts only
    return af, melder


def test_the_demo_idp_has_a_fictional_account_for_each_linked_veenhorst_user(veenhorst):
    accounts = idp_accounts()
    assert [a.username for a in accounts] == ["af.veenhorst@veenhorst.example", "melder2.veenhorst@veenhorst.example"]
    assert all(a.email.endswith(".example") and a.password == IDP_PASSWORD for a in accounts)
    assert {a.username.split("@")[0] for a in accounts if not a.mfa} == set(WITHOUT_MFA)


def test_the_demo_starts_the_provider_and_its_logins_work(client, settings, veenhorst):
    af, _melder = veenhorst
    idp = start_demo_idp("127.0.0.1:8000", settings)
    try:
        idp.httpd.state.redirect_uris.append("http://testserver/inloggen/organisatie/terug/")
        assert settings.OIDC_OP_TOKEN_ENDPOINT == f"{idp.issuer}/token"
        assert settings.MELDROUTE_OIDC["ISSUER"] == idp.issuer
        assert "http://localhost:8000/inloggen/organisatie/terug/" in idp.httpd.state.redirect_uris
        client.get(sign_in_at_idp(idp, start_at_idp(client), "af.veenhorst@veenhorst.example", IDP_PASSWORD))
        assert client.session[SESSION_KEY] == str(af.pk)
    finally:
        idp.stop()


def test_the_demo_ends_the_providers_session_when_meldroute_logs_out(client, settings, veenhorst):
    af, _melder = veenhorst
    idp = start_demo_idp("127.0.0.1:8000", settings)
    try:
        idp.httpd.state.redirect_uris.append("http://testserver/inloggen/organisatie/terug/")
        assert settings.OIDC_OP_LOGOUT_ENDPOINT == f"{idp.issuer}/end-session"
        assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] == ["'self'", idp.issuer]
        assert "http://127.0.0.1:8000/inloggen/" in idp.httpd.state.post_logout_redirect_uris
        client.get(sign_in_at_idp(idp, start_at_idp(client), "af.veenhorst@veenhorst.example", IDP_PASSWORD))
        assert client.session[SESSION_KEY] == str(af.pk)
        assert idp.logged_in() == 1
        end_session = client.post(reverse("logout"))["Location"]
        assert end_session.startswith(f"{idp.issuer}/end-session?")
        back = requests.get(end_session, allow_redirects=False, timeout=10)
        assert back.status_code == 302 and back.headers["Location"].startswith("http://127.0.0.1:8000/inloggen/?state=")
        assert idp.logged_in() == 0
    finally:
        idp.stop()
