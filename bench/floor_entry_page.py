"""The floor of the entry-page benchmarks: a bare Streamlit script with the entry page's widgets.

The same elements the app's entry page draws, with text of about the same length, and nothing
behind them: a sidebar with the app's navigation (three sections, fourteen pages), a language
chooser and a sign-out button; the title, the edition's notes, the workflow's steps and history,
the checklist with its list and chooser, a submit button, the goal chooser and the goals' counts;
the goal's background report (a form of two text areas); then the goal's indicators, each with
its dimensions as cards: title, question, a guidance expander (a paragraph and the suggested
evidence), four statements side by side (folded into an expander once graded, as the app does),
a grade radio with its help and a confidence select box beside it, two text areas, a caption and
an expander holding a file uploader; last, the offline questionnaire's download and upload. The
first goal is graded, the others are not. No database, no services, no translations, no
fragments: the whole page reruns on every change. The page is wide, as the app's is.

``BENCH_FLOOR_GOALS`` gives the layout as JSON, goal id to the number of dimensions of each of its
indicators (the benchmark passes the edition's); by default one goal of three indicators of three.
"""

import json
import os

import streamlit as st

GOALS: dict[str, list[int]] = json.loads(os.environ.get("BENCH_FLOOR_GOALS", '{"WD1": [3, 3, 3]}'))
FIRST = next(iter(GOALS))
# Text of about the length of the edition's: a statement, a question, a dimension's title.
SENTENCE = "A concrete, observable statement of about twenty words that a panel can check against "
SENTENCE += "the law. "
QUESTION = "A question that a panel answers by reading the four statements below and the evidence "
QUESTION += "it has."
TITLE = "A dimension title of a few words"


def statements(dim_key: str) -> None:
    row = st.container(horizontal=True, wrap=True, key=f"stmts-{dim_key}")
    for letter in "ABCD":
        with row.container(border=True, key=f"stmt-{dim_key}-{letter}", width=185):
            st.markdown(f":gray-background[**{letter}**]")
            st.markdown(SENTENCE)


def card(dim: str, graded: bool) -> None:
    dim_key = dim.replace(".", "_")
    with st.container(border=True, key=f"dim-{dim_key}"):
        st.markdown(f"**{dim} · {TITLE}** · Law")
        st.markdown(QUESTION)
        with st.expander("Guidance", icon=":material/menu_book:"):
            st.markdown(SENTENCE * 3)
            st.markdown("**Suggested evidence**")
            st.markdown("- A law\n- A register\n- A report")
        if graded:
            with st.expander("Statements (B chosen)"):
                statements(dim_key)
        else:
            statements(dim_key)
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.radio(
                "Grade",
                ["A", "B", "C", "D", "D*"],
                key=f"g:{dim}",
                horizontal=True,
                index=1 if graded else None,
                help="D* when the information needed is missing.",
                width="content",
            )
            st.selectbox("Confidence", ["low", "medium", "high"], key=f"c:{dim}", width=180)
            if graded:
                st.button("Clear", key=f"clear:{dim}", type="tertiary")
        left, right = st.columns(2)
        left.text_area("Justification", "A justification" if graded else "", key=f"j:{dim}")
        right.text_area("Evidence", "https://example.org" if graded else "", key=f"e:{dim}")
        st.caption("Saved at 12:00" if graded else "Not graded yet")
        with st.expander("Evidence files (0)", icon=":material/attach_file:"):
            st.file_uploader("Add a file", key=f"f:{dim}")


def entry_page() -> None:
    st.title("A country · 2025")
    st.caption("Questionnaire edition: wddf-1.2")
    with st.expander("How to read this edition"):
        st.markdown(SENTENCE * 4)
    st.markdown("**● draft** ○ submitted ○ in review ○ review completed ○ published")
    with st.expander("Who did what (1 step)"):
        st.caption("1 December 2026 · bench · created")
    with st.expander("Before submitting (81)"):
        st.markdown("\n".join(f"- WD{n % 9 + 1}.1.{n % 3 + 1}: not graded" for n in range(80)))
        st.selectbox("Go to", ["WD2.1.1", "WD2.1.2"], index=None, key="go-to")
    st.button("Submit", disabled=True)
    goal = st.selectbox(
        "Goal",
        list(GOALS),
        index=list(GOALS).index(st.query_params.get("goal", FIRST)),
        key="goal",
        format_func=lambda g: f"{g} · A goal title",
    )
    st.caption(" · ".join(f"{g} {sum(n)}" for g, n in GOALS.items()))
    st.header(f"{goal} · A goal title")
    with st.expander(f"Background report on {goal}", expanded=True):
        st.caption("No background report on this goal yet.")
        with st.form(f"background-{goal}"):
            st.text_area("The report")
            st.text_area("Citations")
            st.form_submit_button("Save the report")
    for number, count in enumerate(GOALS[goal], start=1):
        st.header(f"{goal}.{number} · An indicator title")
        for position in range(1, count + 1):
            card(f"{goal}.{number}.{position}", graded=goal == FIRST)
    with st.expander("Work offline in Excel", icon=":material/table_view:"):
        st.link_button(
            "Download the questionnaire", "https://example.org", icon=":material/download:"
        )
        st.file_uploader("Import a filled questionnaire", type=["xlsx"], key="offline")


def other_page() -> None:
    st.title("Another page")


st.set_page_config(layout="wide")
SECTIONS = {
    "Work": ["My assessments", "Assignments", "Panels and sessions", "Validation workshop"],
    "Insights": ["Country profile", "Progress across years", "Panel agreement", "Gaps"],
    "Reference": ["Downloads", "Questionnaire", "My account", "Sector data", "Simulator"],
}
pages = {
    section: [
        st.Page(other_page, title=title, url_path=f"p{i}{j}") for j, title in enumerate(titles)
    ]
    for i, (section, titles) in enumerate(SECTIONS.items())
}
pages["Work"].insert(1, st.Page(entry_page, title="Entry", url_path="entry", default=True))
chosen = st.navigation(pages, expanded=True)
with st.sidebar:
    st.selectbox("Language", ["English", "Français", "Português"], key="lang")
    st.caption("Signed in as bench (focal point)")
    st.button("Sign out")
chosen.run()
