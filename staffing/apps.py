from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "staffing"
    verbose_name = "Staffing"

    def ready(self) -> None:
        # The app's scope rules, asked through the one entry point ``csops.permissions``.
        from csops import permissions
        from staffing import permissions as rules

        permissions.register(rules)
        from staffing.planning import permissions as planning_rules

        permissions.register(planning_rules)
        from staffing.schedules import permissions as schedule_rules

        permissions.register(schedule_rules)
        from staffing.hiring import permissions as hiring_rules

        permissions.register(hiring_rules)
        from staffing.budget import permissions as budget_rules

        permissions.register(budget_rules)

        from staffing import step_evidence

        step_evidence.register("course", step_evidence.course_completed)
        step_evidence.register("certification", step_evidence.certification_held)
