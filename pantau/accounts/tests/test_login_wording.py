"""A refused sign-in says so once, in the user's language."""

from django.conf import settings


def test_a_wrong_password_is_refused_in_plain_indonesian(world, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.post("/accounts/login/", {"username": world.officer.username, "password": "salah"}).content.decode()
    assert "Masukkan nama pengguna dan kata sandi yang benar. Keduanya membedakan huruf besar dan kecil." in page
    assert "nama pengguna nama pengguna" not in page
