"""Answers: an assessment and what is said in it.

Entry points: ``assessments`` (``create``, ``get``, ``save_answer``, ``answers``, ``history``),
``autosave`` (the hot path of a save, under the hall's ``answer_rules``), ``carry_over``
(``create_from_last_year``, ``confirm``, ``previous_of``), ``evidence`` (``add_file``,
``remove_file``), ``offline`` (``template``, ``import_workbook``) and ``demo`` (``load``:
fictitious, flagged assessments).
"""
