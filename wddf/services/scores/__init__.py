"""Scores and what they tell.

Entry points: ``scored`` (``scored``: what the actor may read, scored by the scoring library;
``FROZEN_SCORES``), ``insights`` (the data of every insight page: profile, progress,
comparison, agreement, flags, gaps, simulator) and ``frames`` (query rows as frames).
"""
