"""The floor of the entry-page benchmark: a bare Streamlit script with the same widgets.

Nine dimensions, each with its title, question, four statements side by side, a grade radio,
two text areas, a select box, a caption and an expander holding a file uploader; no database,
no services, no translations. The page is wide, as the app's is.
"""

import streamlit as st

st.set_page_config(layout="wide")
for n in range(1, 10):
    dim = f"WD1.{(n - 1) // 3 + 1}.{(n - 1) % 3 + 1}"
    with st.container(border=True, key=f"dim-{n}"):
        st.markdown(f"**{dim} · A dimension title** · Law")
        st.markdown("A question that a panel answers by reading the four statements below.")
        for column, letter in zip(st.columns(4), "ABCD", strict=True):
            with column.container(border=True, key=f"stmt-{n}-{letter}"):
                st.markdown(f"**{letter}**")
                st.markdown(
                    "A concrete, observable statement of about twenty words for this grade."
                )
        st.radio("Grade", ["A", "B", "C", "D", "D*"], key=f"g:{dim}", horizontal=True, index=1)
        st.text_area("Justification", "A justification", key=f"j:{dim}", height=80)
        left, right = st.columns([3, 1])
        left.text_area("Evidence", "https://example.org", key=f"e:{dim}", height=68)
        right.selectbox("Confidence", ["low", "medium", "high"], key=f"c:{dim}")
        st.caption("Saved at 12:00")
        with st.expander("Evidence files (0)"):
            st.file_uploader("Add a file", key=f"f:{dim}")
