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

Exports (``?export=csv``/``xlsx`` of a screen with ``list_export``) go through the
same queryset, so they carry the screen's scope, filters and search; their cells
are made formula-safe (``commerce.exports``), an empty cell stays empty (a zero
is a zero, not modeladmin's "-") and headings read as the columns do.
"""

from __future__ import annotations

from collections import OrderedDict

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import BadRequest, ValidationError
from django.utils.encoding import force_str
from django.utils.text import capfirst
from wagtail_modeladmin.views import IndexView

from .exports import SafeSpreadsheetExportMixin


class DeclaredFiltersIndexView(SafeSpreadsheetExportMixin, IndexView):
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

    def to_row_dict(self, item):
        row = OrderedDict()
        for field in self.list_export:
            _field, _attr, value = lookup_field(field, item, self.model_admin)
            row[field] = "" if value is None else value
        return row

    def get_heading(self, queryset, field):
        heading = self.export_headings.get(field) or label_for_field(
            field, model=self.model, model_admin=self.model_admin
        )
        return capfirst(force_str(heading))
