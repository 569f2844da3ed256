"""Pagination that never errors on a bad page number."""

from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

_T = TypeVar("_T")


def paginate(request: HttpRequest, queryset: QuerySet[Any, _T], per_page: int = 25) -> Page[_T]:
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("pagina"))
