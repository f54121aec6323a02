"""Signals classrooms sends for the apps built on it, which must not be imported from here.

``program_year_sessions_synced`` is sent (inside the transaction) each time a program year's future
sessions have been made or brought back in line with its rule: when the year is set or changed, and
when the school's time zone moves them. ``program_year`` is the ``ProgramYear``, with its classroom.
The curriculum plans a family-visits year's lessons on it; a receiver must not change the sessions.
"""

from django.dispatch import Signal

program_year_sessions_synced = Signal()
