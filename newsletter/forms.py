from django import forms
from django.core.validators import RegexValidator

TOPIC_VALIDATOR = RegexValidator(r"^[a-z0-9][a-z0-9-]{0,48}[a-z0-9]$")


class SignupForm(forms.Form):
    email = forms.EmailField(max_length=254)
    topic = forms.CharField(max_length=50, validators=[TOPIC_VALIDATOR])
    page = forms.IntegerField(min_value=1)
    # A field people never see: a bot that fills every input gets a polite answer
    # and no e-mail is sent.
    website = forms.CharField(required=False)
