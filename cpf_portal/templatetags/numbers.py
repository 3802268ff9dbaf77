"""`{% load numbers %}` then `{{ value|french_number }}`: cpf_portal.numbers in templates."""

from django import template

from cpf_portal.numbers import french_number as _french_number

register = template.Library()


@register.filter
def french_number(value):
    return _french_number(value)
