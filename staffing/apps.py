from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "staffing"
    verbose_name = "Staffing"

    def ready(self) -> None:
        from staffing import step_evidence

        step_evidence.register("course", step_evidence.course_completed)
        step_evidence.register("certification", step_evidence.certification_held)
