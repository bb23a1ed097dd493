from __future__ import annotations

from django import forms
from django.contrib.auth.models import User

from csops.people import label_people
from policies.knowledge.models import ArticleSection, Visibility


class SearchForm(forms.Form):
    q = forms.CharField(max_length=200, required=False, label="Search the help center")


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        label="What were you looking for? (optional)",
    )  # fmt: skip


class SuggestForm(forms.Form):
    """The contact form's subject, as the customer types it."""

    subject = forms.CharField(max_length=200, required=False)
    visit = forms.CharField(max_length=40, required=False)


def _sections():
    return ArticleSection.objects.select_related("category")


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=200)
    section = forms.ModelChoiceField(queryset=ArticleSection.objects.none())
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.INTERNAL)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Markdown. Images: upload one below and paste the line it gives you.",
    )
    approver = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False,
        help_text="May approve besides the directors (a reviewer).",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = _sections()
        self.fields["approver"].queryset = User.objects.filter(
            is_active=True, groups__name__in=["Manager", "Director", "Admin"]
        ).distinct()
        label_people(self)


class ArticleSettingsForm(forms.Form):
    section = forms.ModelChoiceField(queryset=ArticleSection.objects.none())
    visibility = forms.ChoiceField(choices=Visibility.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = _sections()


class SuggestEditForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), label="Suggested text")
    note = forms.CharField(max_length=280, label="What is wrong or missing?")


class ImageForm(forms.Form):
    file = forms.FileField()
    alt = forms.CharField(max_length=200, required=False, label="Describe the image")
