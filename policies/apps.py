from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = "Policies and SLAs"

    def ready(self) -> None:
        # The app's scope rules, asked through the one entry point ``csops.permissions``.
        from csops import permissions
        from policies import permissions as rules

        permissions.register(rules)

        from policies.knowledge import permissions as knowledge_rules
        from policies.knowledge import services as knowledge
        from policies.services import documents

        permissions.register(knowledge_rules)
        # An article's help-center snapshot follows its document's publication.
        documents.after_publication(knowledge.sync_article)

        from policies.onboarding_evidence import policy_acknowledged
        from policies.services import acknowledgments
        from staffing import step_evidence
        from staffing.services import people, teams

        step_evidence.register("policy", policy_acknowledged)
        # People who join a team later are asked to acknowledge what was published for it;
        # people who leave it stop being asked (staffing.services.teams membership hooks).
        teams.on_join(acknowledgments.request_for_joiners)
        teams.on_leave(acknowledgments.withdraw_for_leavers)
        # Someone whose role changes (staffing.services.people, the admin's user form) is asked
        # for what is published to their new role, and no longer by what only the old one was.
        people.on_role_change(acknowledgments.follow_role_change)
