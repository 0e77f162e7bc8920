"""Review: an assessment's steps from draft to published.

Entry points: ``workflow`` (``transition``, ``allowed_actions``, ``problem_of``, comments with
``add_comment`` and ``set_resolved``, ``changes_since_previous_submission``, ``timeline``).
"""
