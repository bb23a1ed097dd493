from __future__ import annotations

from django import forms

from tickets.models import SurveyInvitation, SurveyScale

FIVE_CHOICES = [
    (5, "5 – Very satisfied"),
    (4, "4"),
    (3, "3"),
    (2, "2"),
    (1, "1 – Very unsatisfied"),
]
GOOD_BAD_CHOICES = [(1, "Good, I'm satisfied"), (0, "Bad, I'm unsatisfied")]


class SurveyForm(forms.Form):
    """The public CSAT form; its choices follow the invitation's scale and NPS setting."""

    rating = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Your rating")
    nps = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        choices=[(n, str(n)) for n in range(11)],
        label="How likely are you to recommend us to a friend? (0–10)",
    )
    comment = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), label="Comment"
    )

    def __init__(self, *args, invitation: SurveyInvitation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        scale = invitation.scale
        self.fields["rating"].choices = (
            FIVE_CHOICES if scale == SurveyScale.FIVE else GOOD_BAD_CHOICES
        )
        if not invitation.ask_nps:
            del self.fields["nps"]
