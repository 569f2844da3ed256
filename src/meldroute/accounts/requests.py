"""The request of a signed-in user, for the type checker: behind `login_required`, `request.user` is our `User`."""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
