"""The signup forms on any input: a form error at worst, never an exception (hypothesis)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.forms.signup import IdentityForm, PasswordForm

pytestmark = pytest.mark.django_db

_text = st.text(max_size=60)


@given(
    nir=_text,
    civility=_text,
    landline=_text,
    mobile=_text,
    email=_text,
    confirmation=_text,
    captcha=_text,
)
def test_identity_form_never_raises(nir, civility, landline, mobile, email, confirmation, captcha):
    form = IdentityForm(
        {
            "nir": nir,
            "civility": civility,
            "birth_name": "Martin",
            "landline": landline,
            "mobile": mobile,
            "email": email,
            "email_confirmation": confirmation,
            "captcha_0": captcha,
            "captcha_1": captcha,
        }
    )
    assert form.is_valid() is False  # the captcha key is never right


@given(password=st.text(max_size=140))
def test_password_form_never_raises(password):
    form = PasswordForm(
        {"nir": "", "birth_name": "Martin"}, {"password1": password, "password2": password}
    )
    form.is_valid()
    if len(password) > 128:
        assert "password1" in form.errors
