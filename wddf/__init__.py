"""WDDF self-assessment tool."""
