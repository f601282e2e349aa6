"""Forms for paid support; they validate input, the services apply the rules."""

from django import forms

from .models import SellerSupportSettings, SupportStatus


class SupportRequestForm(forms.Form):
    subject = forms.CharField(max_length=200)
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What do you need help with? The seller answers here.",
    )


class SupportMessageForm(forms.Form):
    body = forms.CharField(
        label="Message", widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )


class SupportTransitionForm(forms.Form):
    """The next status, limited to the moves the state machine offers this user."""

    to_status = forms.ChoiceField(label="Move to")

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (status, SupportStatus(status).label) for status in allowed
        ]


class SupportDetailsForm(forms.Form):
    meeting_link = forms.URLField(required=False, max_length=500, assume_scheme="https")
    internal_notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only you and staff see these notes.",
    )


class SellerSupportSettingsForm(forms.ModelForm):
    class Meta:
        model = SellerSupportSettings
        fields = ["telegram_chat_id", "payment_instructions"]
