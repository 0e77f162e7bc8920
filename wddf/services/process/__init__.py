"""The WDDF process around the grades.

Entry points: ``process_rules`` (who writes a process record, and while it is open),
``assignments``, ``background`` (background reports), ``panels`` (panels, sessions, notes),
``workshop`` (the national validation workshop), ``grade_changes`` (where a change was agreed),
``action_plan`` (the policy priority matrix) and ``sector_data`` (the sector data sheet).
"""
