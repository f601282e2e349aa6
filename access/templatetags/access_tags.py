"""The role predicates for templates: ``{% load access_tags %}``."""

from django import template

from access import roles

register = template.Library()


@register.filter
def works_in_admin(user) -> bool:
    return roles.works_in_admin(user)


@register.filter
def is_seller(user) -> bool:
    return roles.is_seller(user)
