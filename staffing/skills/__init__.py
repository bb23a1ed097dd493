"""Skills, their certification/course requirements, and availability (issue 15).

``selectors``: which skills people validly hold today, who is available, on shift.
``services``: grant and revoke skills, set one's availability, notify lapsed skills.
``api``: /api/v1/skills/, person-skills/, availability/.
Routing (``tickets/routing``) reads these; staffing knows nothing of tickets.
"""
