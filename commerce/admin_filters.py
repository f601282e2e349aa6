"""A modeladmin index view that filters only through the declared ``list_filter``.

wagtail-modeladmin's ``IndexView`` applies every GET parameter it does not know as a
queryset lookup, so ``?user__password__startswith=pbkdf2`` on a seller-scoped list
would leak other users' data through row counts. This view keeps the parameters the
declared list filters consume (``status__exact``, ``created_at__gte``, a
``SimpleListFilter``'s ``parameter_name``...) plus modeladmin's own (search, ordering,
page) and drops every other one. Every ``ModelAdmin`` in the project uses it.

A declared filter given a value it cannot use (``?product=abc``, ``?created_at__gte=
junk``) is a bad request (400), not a 500: modeladmin does not catch the
``IncorrectLookupParameters`` Django's filters raise, as Django's own admin does.
"""

from __future__ import annotations

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, ValidationError
from wagtail_modeladmin.views import IndexView


class DeclaredFiltersIndexView(IndexView):
    def get_filters(self, request):
        # Each declared filter spec pops the parameters it uses from the lookup
        # params; what remains is undeclared and would be applied verbatim as
        # ``queryset.filter(**remaining)``. Ignore it instead.
        filter_specs, has_filters, _undeclared, use_distinct = super().get_filters(
            request
        )
        return filter_specs, has_filters, {}, use_distinct

    def get_queryset(self, request=None):
        try:
            return super().get_queryset(request)
        except (IncorrectLookupParameters, ValidationError, ValueError) as err:
            raise BadRequest("This filter value is not valid.") from err
