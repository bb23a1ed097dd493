from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = "Policies and SLAs"

    def ready(self) -> None:
        from policies.onboarding_evidence import policy_acknowledged
        from policies.services import acknowledgments
        from staffing import step_evidence
        from staffing.services import teams

        step_evidence.register("policy", policy_acknowledged)
        # People who join a team later are asked to acknowledge what was published for it;
        # people who leave it stop being asked (staffing.services.teams membership hooks).
        teams.on_join(acknowledgments.request_for_joiners)
        teams.on_leave(acknowledgments.withdraw_for_leavers)
