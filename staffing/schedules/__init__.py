"""Schedules: each person's weekly shift pattern per team (split and overnight shifts), time
off and training blocks, and the scheduled agents per half hour that planning compares with
the requirement."""
