"""Wagtail admin screens for Celery Beat's schedules (django-celery-beat models).

django-celery-beat registers its models with Django's admin only, which this site
does not mount; staff edit the schedules here instead.
"""

from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup


class PeriodicTaskViewSet(SnippetViewSet):
    model = PeriodicTask
    icon = "time"
    menu_label = "Scheduled tasks"
    list_display = ["name", "task", "enabled", "interval", "crontab", "last_run_at"]
    list_filter = ["enabled"]
    ordering = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("task"),
        FieldPanel("enabled"),
        FieldPanel("interval", help_text="Set an interval or a crontab, not both."),
        FieldPanel("crontab"),
        FieldPanel("one_off"),
        FieldPanel("description"),
    ]


class IntervalScheduleViewSet(SnippetViewSet):
    model = IntervalSchedule
    icon = "repeat"
    menu_label = "Intervals"
    list_display = ["__str__", "every", "period"]
    panels = [FieldPanel("every"), FieldPanel("period")]


class CrontabScheduleViewSet(SnippetViewSet):
    model = CrontabSchedule
    icon = "date"
    menu_label = "Crontabs"
    list_display = ["__str__", "timezone"]
    panels = [
        FieldPanel("minute"),
        FieldPanel("hour"),
        FieldPanel("day_of_week"),
        FieldPanel("day_of_month"),
        FieldPanel("month_of_year"),
        FieldPanel("timezone"),
    ]


class BeatScheduleViewSetGroup(SnippetViewSetGroup):
    items = (PeriodicTaskViewSet, IntervalScheduleViewSet, CrontabScheduleViewSet)
    menu_icon = "time"
    menu_label = "Schedules"
    menu_name = "schedules"
