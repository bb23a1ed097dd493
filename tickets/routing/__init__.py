"""Automatic assignment (issue 15): per-team routing settings, required-skill rules, the
assignment itself (inline in ticket creation, under a per-team lock), waiting tickets,
overflow and re-routing. Skills and availability come from ``staffing.skills``.

models.py   RoutingSettings, MemberCapacity, SkillRule, TicketRouting
engine.py   pick a person for one ticket (pure: candidates in, choice and reason out)
services.py assign, wait, overflow, re-route, edit settings, required skills of a ticket
selectors.py the routing page's figures
views.py / forms.py / urls.py / api.py / admin.py / permissions.py / tasks.py
"""
