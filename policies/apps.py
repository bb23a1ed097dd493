from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = "Policies and SLAs"

    def ready(self) -> None:
        from policies.onboarding_evidence import policy_acknowledged
        from staffing import step_evidence

        step_evidence.register("policy", policy_acknowledged)
